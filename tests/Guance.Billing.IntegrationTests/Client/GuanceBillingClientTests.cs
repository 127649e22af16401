using Guance.Billing.Client;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Client;

public sealed class GuanceBillingClientTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Fact]
    public void The_factory_exposes_a_client_of_every_service_of_the_contract()
    {
        var clientTypes = typeof(GuanceBillingClient).GetProperties().Select(p => p.PropertyType.FullName).ToHashSet();

        // A service added to protos/ needs one property on GuanceBillingClient (and one line in its constructor).
        Assert.All(IdempotentReads.Services, service =>
            Assert.True(clientTypes.Contains($"Guance.Billing.V1.{service.Name}+{service.Name}Client"),
                $"GuanceBillingClient has no property for {service.FullName}"));
    }

    [Fact]
    public async Task A_first_call_with_the_factory()
    {
        var (anonymous, _) = host.BillingClient();
        using var _ = anonymous;
        var signedUp = await anonymous.Identity.SignUpAsync(new SignUpRequest
        {
            Email = $"first.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "First",
        });

        var (user, _) = host.BillingClient(signedUp.Token);
        using var __ = user;
        var workspace = await user.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "First", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        });
        var members = await user.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = workspace.Workspace.WorkspaceId });

        Assert.Equal(signedUp.User.UserId, Assert.Single(members.Members).UserId);
        Assert.Equal(WorkspaceRole.Owner, members.Members[0].Role);
    }
}
