namespace Guance.Billing.Invoices;

/// <summary>
/// Which charge's arrears a later payment paid off, first in, first out: the entries of a billing
/// account's arrears ledger account, in their order, are a queue; a charge that left an amount unpaid
/// (a negative entry) joins it at the back, and a payment (a positive entry, from a recharge's cash or
/// a new card's value) pays the oldest arrears still owed first, then the next. The wallet keeps one
/// arrears balance, so this order is a rule of the invoices, not of the ledger; it is the one that
/// matches "new money pays the oldest debt" and never attributes more than a charge ran.
/// Only the cash part counts for invoices (docs/domain.md §8): card payments consume the queue too,
/// but their value was invoiced at the card's purchase.
/// </summary>
public static class ArrearsPayoffAttribution
{
    /// <summary>An entry of the arrears account: a charge's unpaid part (<paramref name="Amount"/> below 0) or a payment (above 0).</summary>
    /// <param name="ChargeReference">The charge's reference (its daily bill) for a negative entry.</param>
    /// <param name="PaidInCash">Whether a payment came from cash (a recharge) rather than a card.</param>
    public sealed record Entry(long Amount, string? ChargeReference, bool PaidInCash);

    /// <summary>By charge reference: how much of its arrears cash paid off.</summary>
    public static IReadOnlyDictionary<string, long> CashPaidByCharge(IEnumerable<Entry> entriesInOrder)
    {
        var owed = new List<(string Reference, long Left)>();
        var head = 0;
        var paid = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in entriesInOrder)
        {
            if (entry.Amount < 0)
            {
                owed.Add((entry.ChargeReference ?? "", -entry.Amount));
                continue;
            }
            var payment = entry.Amount;
            while (payment > 0 && head < owed.Count)
            {
                var (reference, left) = owed[head];
                var part = Math.Min(left, payment);
                if (entry.PaidInCash)
                {
                    paid[reference] = paid.GetValueOrDefault(reference) + part;
                }
                payment -= part;
                owed[head] = (reference, left - part);
                if (part == left)
                {
                    head++;
                }
            }
        }
        return paid;
    }
}
