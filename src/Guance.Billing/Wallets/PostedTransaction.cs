namespace Guance.Billing.Wallets;

/// <summary>An entry with the kind and lot of its ledger account.</summary>
public sealed record PostedEntry(LedgerEntry Entry, LedgerAccountKind AccountKind, string? LotId);

/// <summary>A ledger transaction with its entries in order: what lists and results are made of.</summary>
public sealed class PostedTransaction(LedgerTransaction transaction, List<PostedEntry> entries)
{
    public LedgerTransaction Transaction { get; } = transaction;
    public IReadOnlyList<PostedEntry> Entries => entries;

    /// <summary>The sum of the entries on accounts of one kind (signed).</summary>
    public long Net(LedgerAccountKind kind) => entries.Where(e => e.AccountKind == kind).Sum(e => e.Entry.Amount);

    internal void Add(PostedEntry entry) => entries.Add(entry);
}
