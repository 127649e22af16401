namespace Guance.Billing.Data.Migrations;

/// <summary>
/// The MonthlyConsumption migration's backfill: every existing bill line added to its workspace's month
/// (the month of its bill's billing day). Each engine names the month's first day its own way (SQLite keeps
/// dates as <c>yyyy-MM-dd</c> text). Frozen here: it must keep the meaning it had when the migration was written.
/// </summary>
internal static class MonthlyConsumptionBackfill
{
    public const string Sqlite = """
        INSERT INTO monthly_consumption (workspace_id, month, item, amount)
        SELECT b.workspace_id, substr(b.billing_day, 1, 8) || '01', l.item, SUM(l.amount)
        FROM daily_bill_lines l JOIN daily_bills b ON b.id = l.daily_bill_id
        GROUP BY b.workspace_id, substr(b.billing_day, 1, 8) || '01', l.item;
        """;

    public const string Postgres = """
        INSERT INTO monthly_consumption (workspace_id, month, item, amount)
        SELECT b.workspace_id, date_trunc('month', b.billing_day::timestamp)::date, l.item, SUM(l.amount)
        FROM daily_bill_lines l JOIN daily_bills b ON b.id = l.daily_bill_id
        GROUP BY b.workspace_id, date_trunc('month', b.billing_day::timestamp)::date, l.item;
        """;
}
