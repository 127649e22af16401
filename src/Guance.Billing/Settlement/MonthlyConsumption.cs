using Guance.Billing.Usage;

namespace Guance.Billing.Settlement;

/// <summary>
/// What a workspace's daily bills of one calendar month charged for one item, in cents: the sum of those
/// bills' lines. The day close adds each new bill's lines to it in the transaction that inserts them
/// (<see cref="BillStore"/>), and lines never change afterwards, so it equals that sum (once every host runs a
/// version that keeps it: docs/operations.md, rolling restarts). The
/// consumption summary reads a workspace's months from it instead of every line since the upgrade.
/// </summary>
public sealed class MonthlyConsumption
{
    public required string WorkspaceId { get; init; }

    /// <summary>The month's first day (billing days, in the site's zone).</summary>
    public DateOnly Month { get; init; }

    public BillingItem Item { get; init; }
    public long Amount { get; init; }
}
