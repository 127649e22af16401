namespace Guance.Billing.Data.Migrations;

/// <summary>
/// The UsageRollups migration's backfill, the same SQL on both engines: the hourly rollups from the
/// existing points, then the daily ones from the hours (docs/domain.md §3: max for the stock items
/// time series 1, backup logs 3, network hosts 4, session replay 5 and DataKit 12; sum for the others).
/// Frozen here: it must keep the meaning it had when the migration was written.
/// </summary>
internal static class UsageRollupBackfill
{
    public const string Sql = """
        INSERT INTO usage_hourly_rollups (workspace_id, item, plan, billing_day, hour_start, quantity)
        SELECT workspace_id, item, plan, billing_day, hour_start, SUM(quantity) FROM usage_points
        GROUP BY workspace_id, item, plan, billing_day, hour_start;
        INSERT INTO usage_daily_rollups (workspace_id, plan, item, billing_day, quantity)
        SELECT workspace_id, plan, item, billing_day, CASE WHEN item IN (1, 3, 4, 5, 12) THEN MAX(quantity) ELSE SUM(quantity) END
        FROM usage_hourly_rollups
        GROUP BY workspace_id, plan, item, billing_day;
        """;
}
