using Guance.Billing.BillingAccounts;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Invoices;

/// <summary>What VerifyInvoices found wrong (values equal the contract's).</summary>
public enum InvoiceProblemKind
{
    /// <summary>A source holds more in pending and issued invoices than it may invoice.</summary>
    OverInvoiced = 1,

    /// <summary>A source's invoiced amount differs from its issued invoices minus its reversed ones.</summary>
    InvoicedMismatch = 2,

    /// <summary>An invoice whose amount differs from the sum of its lines, or a line not above zero.</summary>
    AmountMismatch = 3,

    /// <summary>An invoice whose state disagrees with its recorded changes, number or document.</summary>
    StateMismatch = 4,

    /// <summary>A line over a source that the account does not have.</summary>
    UnknownSource = 5,
}

/// <summary>One problem found by <see cref="InvoiceVerifier"/>.</summary>
public sealed record InvoiceProblem(InvoiceProblemKind Kind, string Subject, string Description);

/// <summary>
/// Checks the invoices against the ledger and themselves, like VerifyLedger does the wallets: for every
/// source, pending + invoiced ≤ invoiceable (recomputed from the ledger and the cards) and invoiced =
/// issued − reversed (the lines of invoices with an issue event, minus those with a reversal event);
/// for every invoice, amount = sum of its lines, and a state that its events, number and document back, with its
/// numbers taken by it (<see cref="TakenInvoiceNumber"/>).
/// </summary>
public sealed class InvoiceVerifier(BillingDbContext db, BillingAccountAccess access, InvoiceableSources sources)
{
    public async Task<IReadOnlyList<InvoiceProblem>> VerifyAsync(Caller caller, string? billingAccountId, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        List<string> accounts;
        if (!string.IsNullOrEmpty(billingAccountId))
        {
            await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Operate, cancellationToken);
            accounts = [billingAccountId];
        }
        else
        {
            accounts = await db.Invoices.AsNoTracking().Select(i => i.BillingAccountId).Distinct().ToListAsync(cancellationToken);
        }
        var problems = new List<InvoiceProblem>();
        foreach (var account in accounts.Order(StringComparer.Ordinal))
        {
            await VerifyAccountAsync(account, problems, cancellationToken);
        }
        return problems;
    }

    private async Task VerifyAccountAsync(string billingAccountId, List<InvoiceProblem> problems, CancellationToken cancellationToken)
    {
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.BillingAccountId == billingAccountId).ToListAsync(cancellationToken);
        var ids = invoices.Select(i => i.Id).ToList();
        var lines = (await db.InvoiceLines.AsNoTracking().Where(l => l.BillingAccountId == billingAccountId).ToListAsync(cancellationToken))
            .ToLookup(l => l.InvoiceId, StringComparer.Ordinal);
        var events = (await db.InvoiceEvents.AsNoTracking().Where(e => ids.Contains(e.InvoiceId)).ToListAsync(cancellationToken))
            .ToLookup(e => e.InvoiceId, StringComparer.Ordinal);
        var documents = (await db.InvoiceDocuments.AsNoTracking().Where(d => ids.Contains(d.InvoiceId)).Select(d => d.InvoiceId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var taken = (await db.TakenInvoiceNumbers.AsNoTracking().Where(n => ids.Contains(n.InvoiceId)).ToListAsync(cancellationToken))
            .Select(n => (n.InvoiceId, n.Number, n.RedLetter)).ToHashSet();

        var issued = new Dictionary<string, long>(StringComparer.Ordinal);
        var reversed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var invoice in invoices)
        {
            var own = lines[invoice.Id].ToList();
            if (own.Count == 0 || own.Any(l => l.Amount <= 0) || own.Sum(l => l.Amount) != invoice.Amount)
            {
                problems.Add(new InvoiceProblem(InvoiceProblemKind.AmountMismatch, invoice.Id,
                    $"amount {invoice.Amount} but {own.Count} lines summing to {own.Sum(l => l.Amount)} (each must be above 0)"));
            }
            var states = events[invoice.Id].Select(e => e.State).ToHashSet();
            var stateProblem = StateProblem(invoice, states, documents.Contains(invoice.Id)) ?? NumberProblem(invoice, taken);
            if (stateProblem is not null)
            {
                problems.Add(new InvoiceProblem(InvoiceProblemKind.StateMismatch, invoice.Id, stateProblem));
            }
            foreach (var line in own)
            {
                if (states.Contains(InvoiceState.Issued))
                {
                    issued[line.SourceId] = issued.GetValueOrDefault(line.SourceId) + line.Amount;
                }
                if (states.Contains(InvoiceState.Reversed))
                {
                    reversed[line.SourceId] = reversed.GetValueOrDefault(line.SourceId) + line.Amount;
                }
            }
        }

        var balances = (await sources.ListAsync(billingAccountId, cancellationToken)).ToDictionary(s => s.SourceId, StringComparer.Ordinal);
        foreach (var sourceId in lines.SelectMany(g => g).Select(l => l.SourceId).Distinct(StringComparer.Ordinal))
        {
            if (!balances.TryGetValue(sourceId, out var source))
            {
                problems.Add(new InvoiceProblem(InvoiceProblemKind.UnknownSource, sourceId, $"invoiced by billing account {billingAccountId}, which has no such source"));
                continue;
            }
            if (source.Pending + source.Invoiced > source.Invoiceable)
            {
                problems.Add(new InvoiceProblem(InvoiceProblemKind.OverInvoiced, sourceId,
                    $"pending {source.Pending} + invoiced {source.Invoiced} is above the invoiceable {source.Invoiceable}"));
            }
            var expected = issued.GetValueOrDefault(sourceId) - reversed.GetValueOrDefault(sourceId);
            if (source.Invoiced != expected)
            {
                problems.Add(new InvoiceProblem(InvoiceProblemKind.InvoicedMismatch, sourceId,
                    $"invoiced {source.Invoiced}, but issued {issued.GetValueOrDefault(sourceId)} − reversed {reversed.GetValueOrDefault(sourceId)} = {expected}"));
            }
        }
    }

    /// <summary>
    /// An issued invoice's number, and a reversed one's red-letter number, must be taken by it (in upper case, as the
    /// numbers are kept since the series got its key); null when they are.
    /// </summary>
    private static string? NumberProblem(Invoice invoice, HashSet<(string InvoiceId, string Number, bool RedLetter)> taken)
    {
        if (invoice.State.WasIssued() && (invoice.InvoiceNumber is null || !taken.Contains((invoice.Id, invoice.InvoiceNumber.ToUpperInvariant(), false))))
        {
            return $"invoice number {invoice.InvoiceNumber} is not taken by this invoice in the series of numbers";
        }
        if (invoice.State == InvoiceState.Reversed && (invoice.RedLetterNumber is null || !taken.Contains((invoice.Id, invoice.RedLetterNumber.ToUpperInvariant(), true))))
        {
            return $"red-letter number {invoice.RedLetterNumber} is not taken by this invoice in the series of numbers";
        }
        return null;
    }

    /// <summary>What is wrong with an invoice's state given the changes recorded for it, or null.</summary>
    private static string? StateProblem(Invoice invoice, HashSet<InvoiceState> events, bool hasDocument)
    {
        var expected = invoice.State switch
        {
            InvoiceState.Requested => Array.Empty<InvoiceState>(),
            InvoiceState.Issued => [InvoiceState.Issued],
            InvoiceState.Mailed => [InvoiceState.Issued, InvoiceState.Mailed],
            InvoiceState.Reversed => events.Contains(InvoiceState.Mailed)
                ? [InvoiceState.Issued, InvoiceState.Mailed, InvoiceState.Reversed]
                : [InvoiceState.Issued, InvoiceState.Reversed],
            _ => [invoice.State],
        };
        if (!events.SetEquals(expected))
        {
            return $"state {invoice.State.Name()} but changes recorded: {string.Join(", ", events.Select(s => s.Name()))}";
        }
        if (invoice.State.WasIssued() && (invoice.InvoiceNumber is null || invoice.IssueDate is null))
        {
            return "issued without an invoice number or date";
        }
        if (invoice.State.WasIssued() && !invoice.Type.IsPaper() && !hasDocument)
        {
            return "an issued electronic invoice without its document";
        }
        return null;
    }
}
