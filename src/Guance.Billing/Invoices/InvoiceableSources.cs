using Guance.Billing.Data;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Invoices;

/// <summary>
/// What a billing account may invoice (docs/domain.md §8, §6), computed from the ledger, never from
/// the bills' own columns:
/// <list type="bullet">
/// <item>a monthly bill: what cash paid in the charges of its daily bills, plus what cash later paid
/// of the arrears those charges ran (<see cref="ArrearsPayoffAttribution"/>, first in, first out).
/// Vouchers, cards and cloud accounts paid the rest; none of it is invoiced here;</item>
/// <item>a prepaid card bought in the billing center: its face value, from its purchase on.</item>
/// </list>
/// With what the account's invoices hold of each: pending (requested) and invoiced (issued or mailed).
/// </summary>
public sealed class InvoiceableSources(BillingDbContext db)
{
    /// <summary>
    /// The cards whose purchase the billing center invoices: those bought in it. A card redeemed from a
    /// Huawei Cloud order was sold, and so is invoiced, by Huawei Cloud (docs/domain.md §8).
    /// </summary>
    public IQueryable<PrepaidCard> PurchasedCards(string billingAccountId) =>
        db.PrepaidCards.AsNoTracking().Where(c => c.BillingAccountId == billingAccountId && c.Origin == PrepaidCardOrigin.BillingCenter);

    /// <summary>Every source of the account, monthly bills newest first, then cards newest first.</summary>
    public async Task<IReadOnlyList<InvoiceSourceBalance>> ListAsync(string billingAccountId, CancellationToken cancellationToken)
    {
        var cashByMonth = await CashByMonthAsync(billingAccountId, cancellationToken);
        var held = await HeldAsync(billingAccountId, cancellationToken);
        var bills = await db.MonthlyBills.AsNoTracking().Where(b => b.BillingAccountId == billingAccountId)
            .Select(b => new { b.Id, b.Year, b.Month, b.GeneratedAt }).ToListAsync(cancellationToken);
        var cards = await PurchasedCards(billingAccountId).Select(c => new { c.Id, c.FaceValue, c.IssuedAt }).ToListAsync(cancellationToken);

        var sources = new List<InvoiceSourceBalance>(bills.Count + cards.Count);
        foreach (var bill in bills.OrderByDescending(b => b.Year).ThenByDescending(b => b.Month))
        {
            var (pending, invoiced) = held.GetValueOrDefault(bill.Id);
            sources.Add(new InvoiceSourceBalance(bill.Id, InvoiceSourceKind.MonthlyBill, bill.Year, bill.Month,
                cashByMonth.GetValueOrDefault((bill.Year, bill.Month)), pending, invoiced, bill.GeneratedAt));
        }
        foreach (var card in cards.OrderByDescending(c => c.Id, StringComparer.Ordinal))
        {
            var (pending, invoiced) = held.GetValueOrDefault(card.Id);
            sources.Add(new InvoiceSourceBalance(card.Id, InvoiceSourceKind.PrepaidCardPurchase, 0, 0, card.FaceValue, pending, invoiced, card.IssuedAt));
        }
        return sources;
    }

    /// <summary>By (year, month) of the billing day: what cash paid of the account's daily bills, at once or later as arrears.</summary>
    private async Task<Dictionary<(int Year, int Month), long>> CashByMonthAsync(string billingAccountId, CancellationToken cancellationToken)
    {
        var cash = LedgerAccountKinds.SingletonId(billingAccountId, LedgerAccountKind.Cash);
        var arrears = LedgerAccountKinds.SingletonId(billingAccountId, LedgerAccountKind.Arrears);
        // The account's cash and arrears entries, in one pass from its transactions (their index by account) to their
        // entries (keyed by transaction).
        var entries = await (
            from t in db.LedgerTransactions.AsNoTracking()
            where t.BillingAccountId == billingAccountId
            join e in db.LedgerEntries.AsNoTracking() on t.Id equals e.TransactionId
            where e.LedgerAccountId == cash || e.LedgerAccountId == arrears
            select new { e.LedgerAccountId, e.Sequence, e.Amount, t.Kind, t.Reference }).ToListAsync(cancellationToken);

        var paidAtCharge = entries.Where(e => e.LedgerAccountId == cash && e.Amount < 0 && e.Kind == TransactionKind.Charge)
            .GroupBy(e => e.Reference, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => -g.Sum(e => e.Amount), StringComparer.Ordinal);
        var paidLater = ArrearsPayoffAttribution.CashPaidByCharge(entries.Where(e => e.LedgerAccountId == arrears).OrderBy(e => e.Sequence)
            .Select(e => new ArrearsPayoffAttribution.Entry(e.Amount, e.Kind == TransactionKind.Charge ? e.Reference : null, e.Kind == TransactionKind.Recharge)));
        // Charges whose reference is one of the account's daily bills (an operator's own Charge names no bill).
        var references = paidAtCharge.Keys.Union(paidLater.Keys, StringComparer.Ordinal).ToList();
        var days = await db.DailyBills.AsNoTracking()
            .Where(d => d.BillingAccountId == billingAccountId && references.Contains(d.Id))
            .Select(d => new { d.Id, d.BillingDay }).ToListAsync(cancellationToken);

        var byMonth = new Dictionary<(int, int), long>();
        foreach (var day in days)
        {
            var month = (day.BillingDay.Year, day.BillingDay.Month);
            byMonth[month] = byMonth.GetValueOrDefault(month) + paidAtCharge.GetValueOrDefault(day.Id) + paidLater.GetValueOrDefault(day.Id);
        }
        return byMonth;
    }

    /// <summary>By source: what requested invoices hold and what issued (not reversed) ones invoiced.</summary>
    private async Task<Dictionary<string, (long Pending, long Invoiced)>> HeldAsync(string billingAccountId, CancellationToken cancellationToken)
    {
        var lines = await (
            from l in db.InvoiceLines.AsNoTracking()
            where l.BillingAccountId == billingAccountId
            join i in db.Invoices.AsNoTracking() on l.InvoiceId equals i.Id
            select new { l.SourceId, i.State, l.Amount }).ToListAsync(cancellationToken);
        return lines.GroupBy(l => l.SourceId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (
            g.Where(l => l.State.IsPending()).Sum(l => l.Amount),
            g.Where(l => l.State.IsInvoiced()).Sum(l => l.Amount)), StringComparer.Ordinal);
    }
}
