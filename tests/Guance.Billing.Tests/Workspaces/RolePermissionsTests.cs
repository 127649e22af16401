using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Workspaces;

public sealed class RolePermissionsTests
{
    [Fact]
    public void The_owner_may_do_everything()
    {
        Assert.All(Enum.GetValues<WorkspacePermission>(), p => Assert.True(RolePermissions.Allows(WorkspaceRole.Owner, p)));
    }

    [Theory]
    [InlineData(WorkspacePermission.ViewBilling, true)]
    [InlineData(WorkspacePermission.SetAlerts, true)]
    [InlineData(WorkspacePermission.ManageMembers, true)]
    [InlineData(WorkspacePermission.ManageBilling, false)]
    [InlineData(WorkspacePermission.ManageAdministrators, false)]
    [InlineData(WorkspacePermission.ChangeRetention, false)]
    [InlineData(WorkspacePermission.Dissolve, false)]
    [InlineData(WorkspacePermission.TransferOwnership, false)]
    public void An_administrator_views_billing_and_sets_alerts_but_takes_none_of_the_owners_actions(WorkspacePermission permission, bool allowed)
    {
        Assert.Equal(allowed, RolePermissions.Allows(WorkspaceRole.Administrator, permission));
    }

    [Theory]
    [InlineData(WorkspaceRole.Standard)]
    [InlineData(WorkspaceRole.ReadOnly)]
    public void Standard_and_read_only_members_only_view_and_have_no_billing(WorkspaceRole role)
    {
        Assert.Equal([WorkspacePermission.View], Enum.GetValues<WorkspacePermission>().Where(p => RolePermissions.Allows(role, p)));
    }
}
