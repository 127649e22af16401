using System.Text.Json;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>
/// What a CLI story starts from, made through the API rather than through more processes (each
/// guance-billing process costs about a second): a workspace with its Owner, a standard member and
/// a collector token; a billing-center account with its session.
/// </summary>
public static class CliScenario
{
    public const string Password = "correct horse battery";

    public sealed record CliWorkspace(string WorkspaceId, string OwnerToken, string StandardToken, string CollectorToken);

    public sealed record CliBillingAccount(string BillingAccountId, string Username, string SessionToken);

    /// <summary>Runs the command with GUANCE_TOKEN set to the token.</summary>
    public static CliRun As(string token, params string[] args) =>
        new(args) { Environment = new Dictionary<string, string?> { ["GUANCE_TOKEN"] = token } };

    public static Task<CliWorkspace> WorkspaceAsync(this CliHost fixture, string siteCode = "cn1") => fixture.Host.WorkspaceAsync(siteCode);

    public static async Task<CliWorkspace> WorkspaceAsync(this HostProcess host, string siteCode = "cn1")
    {
        var api = host.Api();
        var owner = await api.Identity.SignUpAsync(new SignUpRequest { Email = $"owner.{Guid.NewGuid():N}@example.com", Password = Password, DisplayName = "Owner" });
        var standard = await api.Identity.SignUpAsync(new SignUpRequest { Email = $"standard.{Guid.NewGuid():N}@example.com", Password = Password, DisplayName = "Standard" });
        var asOwner = host.Api(owner.Token);
        var workspace = (await asOwner.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = siteCode, ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        await asOwner.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspace.WorkspaceId, Email = standard.User.Email, Role = WorkspaceRole.Standard });
        var collector = await asOwner.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.WorkspaceId, DisplayName = "agents" });
        return new CliWorkspace(workspace.WorkspaceId, owner.Token, standard.Token, collector.Token);
    }

    public static Task<CliBillingAccount> BillingAccountAsync(this CliHost fixture, string name = "acct") => fixture.Host.BillingAccountAsync(name);

    public static async Task<CliBillingAccount> BillingAccountAsync(this HostProcess host, string name = "acct")
    {
        var username = $"{name}-{Guid.NewGuid():N}"[..24];
        var response = await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = Password, Email = $"{username}@example.com",
        });
        return new CliBillingAccount(response.BillingAccount.BillingAccountId, username, response.Token);
    }

    /// <summary>A new binding code of the account, made with a session of its own.</summary>
    public static async Task<string> BindingCodeAsync(this HostProcess host, CliBillingAccount account) =>
        (await host.Api(await host.SessionAsync(account)).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = account.BillingAccountId })).BindingCode;

    /// <summary>A new session of the account (one made earlier may have expired on a simulated clock).</summary>
    public static async Task<string> SessionAsync(this HostProcess host, CliBillingAccount account) =>
        (await host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = Password })).Token;

    /// <summary>One batch as the workspace's agent, observed at the host's (perhaps simulated) now.</summary>
    public static async Task ReportAsync(this HostProcess host, CliWorkspace workspace, long sequence, params (BillingItem Item, long Quantity)[] records)
    {
        var now = (await host.Api(host.OperatorToken).Settlement.GetClockAsync(new GetClockRequest())).Now;
        var request = new ReportUsageRequest { CollectorId = "agent-1", Sequence = sequence };
        request.Records.Add(records.Select(r => new UsageRecord { Item = r.Item, Quantity = r.Quantity, ObservedAt = now }));
        await host.Api(workspace.CollectorToken).Usage.ReportUsageAsync(request);
    }

    /// <summary>A Money of proto JSON as an exact decimal.</summary>
    public static decimal Yuan(this JsonElement money)
    {
        Assert.Equal("CNY", money.GetProperty("currencyCode").GetString());
        return long.Parse(money.GetProperty("units").GetString()!, System.Globalization.CultureInfo.InvariantCulture) + money.GetProperty("nanos").GetInt32() / 1_000_000_000m;
    }

    public static JsonElement At(this JsonElement element, params string[] path) =>
        path.Aggregate(element, (current, name) => current.GetProperty(name));

    public static void Ok(this CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
