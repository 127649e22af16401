using Guance.Billing.Workspaces;

namespace Guance.Billing.Settlement;

/// <summary>A workspace's settlement as GetSettlement shows it.</summary>
public sealed record SettlementView(
    Workspace Workspace,
    string? BillingAccountId,
    string? BillingAccountUsername,
    DateTimeOffset? BoundAt,
    WorkspaceSettlement? Settlement,
    IReadOnlyList<SettlementMethod> AllowedMethods,
    DateOnly NextMethodChangeDay,
    bool CloudLockedIn,
    bool Locked,
    DateTimeOffset? ArrearsSince)
{
    public SettlementMethod? Method => Settlement?.Method;
    public DateTimeOffset? LockAt => Settlement?.LockAt;
}
