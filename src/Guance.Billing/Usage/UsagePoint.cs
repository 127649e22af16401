using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// One collector's usage of one item in one site-local hour and period: for a flow item the sum of its
/// increments, for a stock item its latest value in the hour (by <see cref="ObservedAt"/>). The
/// workspace's point of the hour is the sum over collectors. Written only by set-based upserts.
/// </summary>
public sealed class UsagePoint
{
    public required string WorkspaceId { get; init; }
    public BillingItem Item { get; init; }

    /// <summary>Start of the site-local hour, as an instant.</summary>
    public DateTimeOffset HourStart { get; init; }

    /// <summary>
    /// The period the usage belongs to (docs/domain.md §2): Experience for records observed before the
    /// upgrade instant, Commercial from it on; the hour of the upgrade has a row of each.
    /// </summary>
    public Plan Plan { get; init; }

    public required string CollectorId { get; init; }

    /// <summary>The site-local billing day of the hour.</summary>
    public DateOnly BillingDay { get; init; }

    public long Quantity { get; init; }

    /// <summary>The latest observed_at applied to the row (for stock items, the one whose value it keeps).</summary>
    public DateTimeOffset ObservedAt { get; init; }
}
