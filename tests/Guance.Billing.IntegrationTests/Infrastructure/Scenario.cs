using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>A signed-up console user and clients that call as that user.</summary>
public sealed record TestUser(User User, string Token, Api Api)
{
    public string Id => User.UserId;
    public string Email => User.Email;
}

/// <summary>A workspace with one member of each role and a user who is not a member.</summary>
public sealed record TestWorkspace(Workspace Workspace, TestUser Owner, TestUser Administrator, TestUser Standard, TestUser ReadOnly, TestUser Outsider)
{
    public string Id => Workspace.WorkspaceId;

    /// <summary>Each caller and whether the role table lets it through, for permission tests.</summary>
    public IEnumerable<(string Name, TestUser User)> Members =>
        [("Owner", Owner), ("Administrator", Administrator), ("Standard", Standard), ("Read-only", ReadOnly)];
}

/// <summary>Builds the people and workspaces that tests start from, through the public API.</summary>
public static class Scenario
{
    public static async Task<TestUser> SignUpAsync(this BillingHost host, string? name = null)
    {
        name ??= "user";
        var email = $"{name}.{Guid.NewGuid():N}@example.com";
        var response = await host.Api().Identity.SignUpAsync(new SignUpRequest { Email = email, Password = "correct horse battery", DisplayName = name });
        return new TestUser(response.User, response.Token, host.Api(response.Token));
    }

    public static async Task<TestWorkspace> CreateWorkspaceAsync(this BillingHost host, string siteCode = "cn1",
        ActivationChannel channel = ActivationChannel.OfficialWebsite)
    {
        var owner = await host.SignUpAsync("owner");
        var workspace = (await owner.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Observability",
            SiteCode = siteCode,
            ActivationChannel = channel,
        })).Workspace;
        var administrator = await host.SignUpAsync("admin");
        var standard = await host.SignUpAsync("standard");
        var readOnly = await host.SignUpAsync("readonly");
        var outsider = await host.SignUpAsync("outsider");
        foreach (var (user, role) in new[] { (administrator, WorkspaceRole.Administrator), (standard, WorkspaceRole.Standard), (readOnly, WorkspaceRole.ReadOnly) })
        {
            await owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspace.WorkspaceId, Email = user.Email, Role = role });
        }
        return new TestWorkspace(workspace, owner, administrator, standard, readOnly, outsider);
    }
}
