using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// One record as an agent sent it. <see cref="Item"/> is the contract's number, so that an unknown
/// value reaches validation; <see cref="ObservedAt"/> is null when unset or not a valid time.
/// </summary>
public readonly record struct UsageRecord(int Item, long Quantity, DateTimeOffset? ObservedAt);

/// <summary>The collector's batches' per-hour aggregate: what one batch adds to one (item, hour, period) row.</summary>
public sealed class AggregatedRow(BillingItemInfo item, SiteHour hour, Plan period = Plan.Commercial)
{
    public BillingItemInfo Item { get; } = item;
    public SiteHour Hour { get; } = hour;

    /// <summary>The period of the records: experience before the upgrade instant, commercial from it on (docs/domain.md §2).</summary>
    public Plan Period { get; } = period;

    /// <summary>Flow: the sum of the batch's records. Stock: the value of the latest record.</summary>
    public long Quantity { get; set; }

    /// <summary>The latest observed_at among the batch's records of the row.</summary>
    public DateTimeOffset ObservedAt { get; set; } = DateTimeOffset.MinValue;
}

/// <summary>A validated batch, collapsed to one row per (item, hour, period); ready for the writer.</summary>
public sealed record AggregatedBatch(long Sequence, int RecordCount, IReadOnlyList<AggregatedRow> Rows)
{
    /// <summary>Whether a row belongs to the experience period, and so counts against the experience quotas.</summary>
    public bool HasExperienceRows { get; } = HasExperience(Rows);

    private static bool HasExperience(IReadOnlyList<AggregatedRow> rows)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Period == Plan.Experience)
            {
                return true;
            }
        }
        return false;
    }
}
