using Guance.Billing.Console.Api;
using Guance.Billing.Console.Formatting;
using Guance.Billing.Console.Layout;
using Guance.Billing.V1;

namespace Guance.Billing.Console.BillingCenter;

/// <summary>What a wallet movement is about, in words, and the id that support asks for (empty when there is none to give).</summary>
public readonly record struct TransactionSubject(string Text, string Id);

/// <summary>
/// Names what wallet transactions are about from what the contract carries instead of the ids in their
/// descriptions: a charge's reference is its daily bill (day, workspace, site), a grant's, purchase's or
/// expiry's the voucher or card. Reads only what the rows shown need, once; a subject not found keeps the
/// host's description.
/// </summary>
public sealed class TransactionSubjects(BillingCenterApi api)
{
    private readonly Dictionary<string, DailyBill> _bills = new(StringComparer.Ordinal);
    private readonly HashSet<(int Year, int Month)> _monthsRead = [];
    private SiteCatalog _sites = SiteCatalog.Empty;
    private Dictionary<string, CloudAccount>? _clouds;
    private Dictionary<string, PrepaidCard>? _cards;
    private Dictionary<string, Voucher>? _vouchers;

    /// <summary>Reads what naming <paramref name="transactions"/> needs and was not read before; a failed read leaves the descriptions.</summary>
    public async Task LoadForAsync(IReadOnlyList<WalletTransaction> transactions)
    {
        var charges = transactions.Where(t => t.Kind == TransactionKind.Charge).ToList();
        foreach (var month in charges.SelectMany(MonthsOf).Distinct())
        {
            if (charges.TrueForAll(c => _bills.ContainsKey(c.Reference)))
            {
                break;
            }
            if (_monthsRead.Add(month))
            {
                await ReadBillsAsync(month);
            }
        }
        if (charges.Count > 0)
        {
            _sites = await api.SitesAsync();
        }
        if (_clouds is null && _bills.Values.Any(b => b.CloudAccountId.Length > 0))
        {
            var clouds = await api.CallAsync(a => a.Accounts.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = api.AccountId, PageSize = 1000 }));
            _clouds = clouds.Value?.CloudAccounts.ToDictionary(c => c.CloudAccountId, StringComparer.Ordinal);
        }
        if (transactions.Any(t => t.Kind is TransactionKind.VoucherGrant or TransactionKind.Expiry))
        {
            _vouchers ??= await ReadAllAsync(
                token => api.Accounts.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = api.AccountId, PageSize = 1000, PageToken = token }),
                r => r.Vouchers, r => r.NextPageToken, v => v.VoucherId);
            _cards ??= await ReadAllAsync(
                token => api.Accounts.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = api.AccountId, PageSize = 1000, PageToken = token }),
                r => r.PrepaidCards, r => r.NextPageToken, c => c.PrepaidCardId);
        }
    }

    public TransactionSubject Of(WalletTransaction transaction) => transaction.Kind switch
    {
        TransactionKind.Charge when _bills.TryGetValue(transaction.Reference, out var bill) => new(Of(bill), bill.DailyBillId),
        TransactionKind.VoucherGrant when Voucher(transaction.Reference) is { } voucher =>
            new(Names.Of(voucher) + (Card(voucher.PrepaidCardId) is { } card ? ", with the card of " + Display.Money(card.FaceValue) : ""), voucher.VoucherId),
        TransactionKind.PrepaidCardPurchase when transaction.Description.Length == 0 && Card(transaction.Reference) is { } card => new(Names.Of(card), card.PrepaidCardId),
        TransactionKind.Expiry when Card(transaction.Reference) is { } card => new(Names.Of(card) + ": expired", card.PrepaidCardId),
        TransactionKind.Expiry when Voucher(transaction.Reference) is { } voucher => new(Names.Of(voucher) + ": expired", voucher.VoucherId),
        // A recharge's reference is the operator's request id, and its description names the payment.
        TransactionKind.Recharge => new(transaction.Description, ""),
        _ => new(transaction.Description, transaction.Reference),
    };

    /// <summary>"Daily bill of 2026-11-28 (UTC+8) of workspace Production": the day is its site's (docs/domain.md §2).</summary>
    private string Of(DailyBill bill)
    {
        var day = Display.SiteDay(bill.Day, bill.SiteCode, _sites);
        var workspace = bill.WorkspaceName is { Length: > 0 } name ? name : bill.WorkspaceId;
        var cloud = bill.CloudAccountId.Length == 0 ? ""
            : ", through cloud account " + (_clouds?.GetValueOrDefault(bill.CloudAccountId)?.DisplayName is { Length: > 0 } cloudName ? cloudName : bill.CloudAccountId);
        return $"Daily bill of {day} of workspace {workspace}{cloud}";
    }

    private PrepaidCard? Card(string id) => id.Length == 0 ? null : _cards?.GetValueOrDefault(id);

    private Voucher? Voucher(string id) => id.Length == 0 ? null : _vouchers?.GetValueOrDefault(id);

    /// <summary>A day is charged when it closes, so a charge's bill is of the month it was made in (China time, behind no site's time) or the one before.</summary>
    private static IEnumerable<(int Year, int Month)> MonthsOf(WalletTransaction charge)
    {
        if (charge.CreateTime is null)
        {
            yield break;
        }
        var made = TimeZoneInfo.ConvertTime(charge.CreateTime.ToDateTimeOffset(), BillingCenterRoute.Zone);
        yield return (made.Year, made.Month);
        var before = made.AddMonths(-1);
        yield return (before.Year, before.Month);
    }

    private async Task ReadBillsAsync((int Year, int Month) month)
    {
        var bills = await ReadAllAsync(
            token => api.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest
            {
                BillingAccountId = api.AccountId, Year = month.Year, Month = month.Month, PageSize = 1000, PageToken = token,
            }),
            r => r.DailyBills, r => r.NextPageToken, b => b.DailyBillId);
        foreach (var (id, bill) in bills ?? [])
        {
            _bills[id] = bill;
        }
    }

    private async Task<Dictionary<string, T>?> ReadAllAsync<TResponse, T>(
        Func<string, Grpc.Core.AsyncUnaryCall<TResponse>> call, Func<TResponse, IEnumerable<T>> items, Func<TResponse, string> next, Func<T, string> id)
    {
        var all = await ApiPage.AllAsync(async token => ApiPage.Of(await api.CallAsync(_ => call(token)), items, next));
        return all.Value?.DistinctBy(id).ToDictionary(id, StringComparer.Ordinal);
    }
}
