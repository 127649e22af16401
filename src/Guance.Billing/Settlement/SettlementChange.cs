namespace Guance.Billing.Settlement;

/// <summary>What a settlement change did (values are stored).</summary>
public enum SettlementChangeKind
{
    Upgrade = 1,
    Binding = 2,
    Method = 3,
    ArbitrarySelection = 4,
}

/// <summary>
/// The audit trail of a workspace's settlement: the upgrade, every change of binding and method, and
/// the operator's arbitrary selection. A method change carries the site-local month it happened in,
/// unique per workspace, so that two concurrent changes in one month cannot both win.
/// </summary>
public sealed class SettlementChange
{
    public long Id { get; init; }
    public required string WorkspaceId { get; init; }
    public SettlementChangeKind Kind { get; init; }
    public DateTimeOffset At { get; init; }

    /// <summary>The console user who asked; null for the operator.</summary>
    public string? ByUserId { get; init; }

    public string? FromBillingAccountId { get; init; }
    public string? ToBillingAccountId { get; init; }
    public SettlementMethod? FromMethod { get; init; }
    public SettlementMethod? ToMethod { get; init; }
    public string? CloudAccountId { get; init; }

    /// <summary>For a method change, the site-local month (<c>2026-11</c>); null otherwise.</summary>
    public string? ChangeMonth { get; init; }

    /// <summary>For arbitrary selection: whether it was enabled.</summary>
    public bool? Enabled { get; init; }
}
