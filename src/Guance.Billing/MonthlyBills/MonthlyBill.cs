using Guance.Billing.Usage;

namespace Guance.Billing.MonthlyBills;

/// <summary>
/// A billing account's bill of one calendar month: the sums of the month's daily bills of every
/// workspace that billed to it (site-local days), unique per account and month. Written once, by
/// set-based statements, and never changed. Amounts in cents.
/// </summary>
public sealed class MonthlyBill
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }
    public int Year { get; init; }
    public int Month { get; init; }
    public long Total { get; init; }
    public long PaidByVouchers { get; init; }
    public long PaidByPrepaidCards { get; init; }
    public long PaidByCash { get; init; }
    public long Arrears { get; init; }
    public long CloudAmount { get; init; }
    public int DailyBills { get; init; }
    public int Workspaces { get; init; }
    public DateTimeOffset GeneratedAt { get; init; }
}

/// <summary>One workspace of a monthly bill: its daily bills of the month summed, with what paid them. Amounts in cents.</summary>
public sealed class MonthlyBillWorkspace
{
    public required string MonthlyBillId { get; init; }
    public required string WorkspaceId { get; init; }
    public required string SiteCode { get; init; }
    public int Days { get; init; }
    public long Total { get; init; }
    public long PaidByVouchers { get; init; }
    public long PaidByPrepaidCards { get; init; }
    public long PaidByCash { get; init; }
    public long Arrears { get; init; }
    public long CloudAmount { get; init; }
}

/// <summary>One item of one workspace of a monthly bill: the sum of its daily lines, in cents.</summary>
public sealed class MonthlyBillLine
{
    public required string MonthlyBillId { get; init; }
    public required string WorkspaceId { get; init; }
    public BillingItem Item { get; init; }
    public int Days { get; init; }
    public long Amount { get; init; }
}
