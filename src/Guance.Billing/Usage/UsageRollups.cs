using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// A workspace's point of one item, site-local hour and period: the sum over its collectors' points.
/// The usage writer adds to it, in the transaction of the points, exactly what that commit's upserts
/// changed in them (<see cref="StockPoint.Change"/> for stock rows), so it always equals that sum.
/// </summary>
public sealed class UsageHourlyRollup
{
    public required string WorkspaceId { get; init; }
    public BillingItem Item { get; init; }
    public Plan Plan { get; init; }
    public DateOnly BillingDay { get; init; }

    /// <summary>Start of the site-local hour, as an instant.</summary>
    public DateTimeOffset HourStart { get; init; }

    public long Quantity { get; init; }
}

/// <summary>
/// A workspace's quantity of one item, billing day and period: the daily rule of docs/domain.md §3
/// (max of the hours for stock items, sum for flow items) over its <see cref="UsageHourlyRollup"/> rows,
/// recomputed in the same transaction after them. Today's row is as current as the last commit.
/// </summary>
public sealed class UsageDailyRollup
{
    public required string WorkspaceId { get; init; }
    public Plan Plan { get; init; }
    public BillingItem Item { get; init; }
    public DateOnly BillingDay { get; init; }
    public long Quantity { get; init; }
}
