using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Wallets;

/// <summary>Reading a wallet: its balances, and its income and expenditure (every ledger transaction).</summary>
public sealed class WalletQueries(BillingDbContext db, BillingAccountAccess access, WalletLedger ledger)
{
    private const string TransactionList = "transactions";

    /// <summary>The most kinds a ListTransactions request may name (there are fewer kinds than this).</summary>
    public const int MaxKinds = 32;

    public async Task<WalletView> GetAsync(Caller caller, string billingAccountId, CancellationToken cancellationToken)
    {
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken);
        return await ledger.ViewAsync(billingAccountId, cancellationToken);
    }

    /// <summary>Transactions newest first, in [start, end), of the given kinds (all when none).</summary>
    public async Task<(IReadOnlyList<PostedTransaction> Transactions, string NextPageToken)> ListTransactionsAsync(
        Caller caller, string billingAccountId, DateTimeOffset? start, DateTimeOffset? end, IReadOnlyCollection<TransactionKind> kinds,
        int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var list = $"{TransactionList}:{billingAccountId}:{start?.UtcTicks}:{end?.UtcTicks}:{string.Join(',', kinds.Order())}";
        var validator = new RequestValidator()
            .Check(start is null || end is null || start < end, "end_time", "must be after start_time")
            .Page(pageSize, pageToken, list, out var pageRequest);
        // Each kind is a parameter of the query: the list is bounded before its elements are looked at.
        if (validator.Size(kinds.Count, "kinds", MaxKinds))
        {
            validator.Check(kinds.All(k => Enum.IsDefined(k)), "kinds", "must list defined transaction kinds only");
        }
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken, validator);

        var query = db.LedgerTransactions.AsNoTracking().Where(t => t.BillingAccountId == billingAccountId);
        if (start is { } from)
        {
            query = query.Where(t => t.CreatedAt >= from);
        }
        if (end is { } until)
        {
            query = query.Where(t => t.CreatedAt < until);
        }
        if (kinds.Count > 0)
        {
            query = query.Where(t => kinds.Contains(t.Kind));
        }
        var (page, next) = await pageRequest.FetchAsync(query, t => t.Id, cancellationToken);
        return (await ledger.LoadPostedAsync(page, cancellationToken), next);
    }
}
