using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.MonthlyBills;

/// <summary>A monthly bill with its workspaces and their items (by workspace id, then item).</summary>
public sealed record MonthlyBillView(
    MonthlyBill Bill, IReadOnlyList<MonthlyBillWorkspace> Workspaces, ILookup<string, MonthlyBillLine> Lines, IReadOnlyDictionary<string, string> WorkspaceNames);

/// <summary>
/// The calls on monthly bills: generation (the operator), and a billing account's bills (its own
/// session or the operator; another account's bill is NOT_FOUND, console and collector tokens are
/// PERMISSION_DENIED, as everywhere in the billing center).
/// </summary>
public sealed class MonthlyBillManager(BillingDbContext db, BillingAccountAccess accounts, MonthlyBillGenerator generator)
{
    private const string BillList = "monthly_bills";

    public async Task<MonthlyBillRun> GenerateAsync(Caller caller, int year, int month, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        new RequestValidator()
            .Check(year is >= 2000 and <= 9998, "year", "must be a year between 2000 and 9998")
            .Check(month is >= 1 and <= 12, "month", "must be between 1 and 12")
            .ThrowIfInvalid();
        return await generator.GenerateAsync(year, month, [], cancellationToken);
    }

    public async Task<(IReadOnlyList<MonthlyBill> Bills, string NextPageToken)> ListAsync(
        Caller caller, string billingAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var list = $"{BillList}:{billingAccountId}";
        var validator = new RequestValidator().PageSize(pageSize).PageToken(pageToken, list, out var after);
        var last = 0;
        validator.Check(after is null || TryParseKey(after, out last), "page_token", Paging.InvalidTokenDescription);
        await accounts.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken, validator);

        var bills = db.MonthlyBills.AsNoTracking().Where(b => b.BillingAccountId == billingAccountId);
        if (after is not null)
        {
            // Newest first: the key is year × 100 + month.
            bills = bills.Where(b => b.Year * 100 + b.Month < last);
        }
        var size = Paging.Size(pageSize);
        var fetched = await bills.OrderByDescending(b => b.Year).ThenByDescending(b => b.Month).Take(size + 1).ToListAsync(cancellationToken);
        return Paging.Page(fetched, size, list, b => (b.Year * 100 + b.Month).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<MonthlyBillView> GetAsync(Caller caller, string monthlyBillId, CancellationToken cancellationToken)
    {
        var bill = await AuthorizeAsync(caller, monthlyBillId, cancellationToken);
        var workspaces = await db.MonthlyBillWorkspaces.AsNoTracking().Where(w => w.MonthlyBillId == bill.Id)
            .OrderBy(w => w.WorkspaceId).ToListAsync(cancellationToken);
        var lines = (await db.MonthlyBillLines.AsNoTracking().Where(l => l.MonthlyBillId == bill.Id).ToListAsync(cancellationToken))
            .OrderBy(l => (int)l.Item).ToLookup(l => l.WorkspaceId, StringComparer.Ordinal);
        var ids = workspaces.Select(w => w.WorkspaceId).ToList();
        var names = await db.Workspaces.AsNoTracking().Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Name, StringComparer.Ordinal, cancellationToken);
        return new MonthlyBillView(bill, workspaces, lines, names);
    }

    /// <summary>Authenticates, validates and finds the bill the caller may see, in that order.</summary>
    public async Task<MonthlyBill> AuthorizeAsync(Caller caller, string monthlyBillId, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.View);
        new RequestValidator().Id(monthlyBillId, "monthly_bill_id", "mb").ThrowIfInvalid();
        var bill = await db.MonthlyBills.AsNoTracking().FirstOrDefaultAsync(b => b.Id == monthlyBillId, cancellationToken);
        if (bill is null || (caller.Kind == CallerKind.BillingAccount && caller.SubjectId != bill.BillingAccountId))
        {
            throw Errors.NotFound(ResourceTypes.MonthlyBill, monthlyBillId);
        }
        return bill;
    }

    private static bool TryParseKey(string key, out int yearMonth) =>
        int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out yearMonth);
}
