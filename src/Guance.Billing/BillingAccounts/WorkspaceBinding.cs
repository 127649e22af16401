namespace Guance.Billing.BillingAccounts;

/// <summary>
/// Which billing account pays for a workspace: at most one per workspace (the key), many workspaces
/// per billing account (joint billing). Created here; written by daily settlement (upgrade and change
/// of binding, after <see cref="BindingCodeManager.RedeemBindingCodeAsync"/>); read by
/// <c>ListBoundWorkspaces</c>.
/// </summary>
public sealed class WorkspaceBinding
{
    public required string WorkspaceId { get; init; }
    public required string BillingAccountId { get; set; }
    public DateTimeOffset BoundAt { get; set; }
}
