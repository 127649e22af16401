using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Settlement;

/// <summary>A commercial workspace of a closing day that has no bill yet, with where its bill goes (method and cloud account for that day).</summary>
public sealed record WorkspaceToRate(string Id, DateTimeOffset UpgradedAt, string? BillingAccountId, SettlementMethod Method, string? CloudAccountId);

/// <summary>
/// The set-based reads of a day close, one batch of workspaces (a range of ids) at a time: which
/// workspaces still need a bill, their usage per item (the daily rollups of the commercial period:
/// billing starts at the upgrade instant, docs/domain.md §2), and the retention in force at the end of the day.
/// Portable SQL on the context's connection, no change tracking.
/// </summary>
internal sealed class DayRating(DbConnection connection, Site site, DateOnly day)
{
    private const string WorkspacesSqlFormat = """
        SELECT w.id, w.upgraded_at, b.billing_account_id, s.method, s.cloud_account_id, s.cloud_subscription_cancelled_at
        FROM workspaces w
        LEFT JOIN workspace_bindings b ON b.workspace_id = w.id
        LEFT JOIN workspace_settlements s ON s.workspace_id = w.id
        WHERE w.site_code = @site AND w.plan = 2 AND w.upgraded_at < @end
          AND (w.dissolved_at IS NULL OR w.dissolved_at >= @start)
          AND w.id > @after {0}
          AND NOT EXISTS (SELECT 1 FROM daily_bills d WHERE d.workspace_id = w.id AND d.billing_day = @day)
        ORDER BY w.id
        LIMIT @limit
        """;

    private static readonly string WorkspacesSql = WorkspacesSqlFormat.Replace("{0}", "", StringComparison.Ordinal);
    private static readonly string WorkspacesUpToSql = WorkspacesSqlFormat.Replace("{0}", "AND w.id <= @last", StringComparison.Ordinal);

    // The day's quantities come from the daily rollups, not the raw points: the same figures for every
    // bill, at a fraction of the reads (one row per item, against 24 hours x collectors of points).
    // Why they are the same (docs/domain.md §3, the rating of a day from its 24 site-local hours):
    // - the usage writer keeps both rollups in the transaction that writes the points (UsageRollupRefresh):
    //   an hour's rollup gets exactly the change its points got (a flow row's quantity; a stock row's new
    //   value minus the one it replaced, nothing for a late stock value that lost, nothing for a resent
    //   batch), so it is the sum over collectors of the hour's points; the day row is then recomputed from
    //   the hours, MAX for stock items and SUM for flow items, by BillingItemInfo.Aggregation, the same
    //   property that DailyBillCalculator picks with. That is the rating of the points: per hour summed over
    //   collectors, then the largest hour or the sum of hours;
    // - rollups are keyed like the points by workspace, period (plan), item and site-local billing day
    //   (BatchWrite's hour gives both), so an upgrade during the day (the upgrade hour kept as two points,
    //   one per period) splits alike, and only the commercial period (plan 2) is read here, as before;
    // - a late report lands before the close or not at all: the close marks the day closed under the
    //   lock that every usage commit of the day takes (DayCloseMarker, SiteDayLock), so what a batch of
    //   rating reads, points or rollups, is one committed state with both in it;
    // - an item whose points are all zero has a day row of 0, as the points gave a 0 line;
    // - usage written before the rollups existed: the migration that created them filled them from the
    //   points (UsageRollupBackfill, in the same migration), so no database has points without rollups.
    // DayRatingRollupTests rates random usage both ways. The covering index (workspace, period, day, item,
    // quantity) serves the read; the CROSS JOIN makes SQLite loop over the batch's workspaces (see below).
    private const string UsageSql = """
        SELECT w.id, r.item, r.quantity
        FROM workspaces w
        CROSS JOIN usage_daily_rollups r
        WHERE w.site_code = @site AND w.plan = 2 AND w.id >= @first AND w.id <= @last
          AND r.workspace_id = w.id AND r.plan = 2 AND r.billing_day = @day
        """;

    private const string RetentionSql = """
        SELECT r.workspace_id, r.data_type, r.days, r.effective_from, r.id
        FROM workspaces w
        JOIN retention_changes r ON r.workspace_id = w.id
        WHERE w.site_code = @site AND w.plan = 2 AND w.id >= @first AND w.id <= @last AND r.effective_from < @end
        """;

    private readonly long _start = UnixMicrosecondsConverter.ToMicroseconds(site.StartOf(day));
    private readonly long _end = UnixMicrosecondsConverter.ToMicroseconds(site.StartOf(day.AddDays(1)));

    /// <summary>
    /// The next workspaces (by id, after <paramref name="afterId"/>, up to <paramref name="lastId"/> when
    /// given) that were commercial during the day and have no bill for it.
    /// </summary>
    public async Task<List<WorkspaceToRate>> NextWorkspacesAsync(string afterId, string? lastId, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(lastId is null ? WorkspacesSql : WorkspacesUpToSql)
            .With("@site", site.Code).With("@end", _end).With("@start", _start).With("@after", afterId).With("@day", day).With("@limit", limit);
        if (lastId is not null)
        {
            command.With("@last", lastId);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var workspaces = new List<WorkspaceToRate>(Math.Min(limit, 1024));
        while (await reader.ReadAsync(cancellationToken))
        {
            var method = reader.IsDBNull(3) ? SettlementMethod.BillingCenter : (SettlementMethod)reader.GetInt32(3);
            var cloudAccountId = reader.IsDBNull(4) ? null : reader.GetString(4);
            // A cancelled subscription (AWS, Huawei: the workspace keeps the method until its Owner
            // changes it or the lock) meters nothing more: a day that ends after the cancellation is
            // paid by the bound billing account, as the billing center would.
            if (method.IsCloud() && !reader.IsDBNull(5) && reader.GetInt64(5) < _end)
            {
                (method, cloudAccountId) = (SettlementMethod.BillingCenter, null);
            }
            workspaces.Add(new WorkspaceToRate(
                reader.GetString(0),
                UnixMicrosecondsConverter.FromMicroseconds(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                method,
                cloudAccountId));
        }
        return workspaces;
    }

    // The CROSS JOIN makes SQLite loop over the batch's workspaces and read each one's rows of the day from
    // the covering index, where with a JOIN it picks the primary key, then the table. PostgreSQL plans both alike.

    /// <summary>Usage per workspace of the id range, per item.</summary>
    public async Task<Dictionary<string, List<ItemUsage>>> UsageAsync(string firstId, string lastId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(UsageSql)
            .With("@day", day).With("@site", site.Code).With("@first", firstId).With("@last", lastId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var usage = new Dictionary<string, List<ItemUsage>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var workspaceId = reader.GetString(0);
            if (!usage.TryGetValue(workspaceId, out var items))
            {
                items = new List<ItemUsage>(12);
                usage.Add(workspaceId, items);
            }
            items.Add(new ItemUsage((BillingItem)reader.GetInt32(1), reader.GetInt64(2)));
        }
        return usage;
    }

    /// <summary>The retention in force at the end of the day, per workspace of the id range and data type: the latest change effective before the day ends.</summary>
    public async Task<Dictionary<(string WorkspaceId, DataType Type), int>> RetentionAsync(string firstId, string lastId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(RetentionSql)
            .With("@site", site.Code).With("@first", firstId).With("@last", lastId).With("@end", _end);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var latest = new Dictionary<(string, DataType), (long EffectiveFrom, long Id, int Days)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetString(0), (DataType)reader.GetInt32(1));
            var change = (EffectiveFrom: reader.GetInt64(3), Id: reader.GetInt64(4), Days: reader.GetInt32(2));
            if (!latest.TryGetValue(key, out var kept) || (change.EffectiveFrom, change.Id).CompareTo((kept.EffectiveFrom, kept.Id)) > 0)
            {
                latest[key] = change;
            }
        }
        return latest.ToDictionary(p => p.Key, p => p.Value.Days);
    }
}
