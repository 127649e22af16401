using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Console.Formatting;

/// <summary>
/// One line of income and expenditure: a wallet transaction with how it changed cash, vouchers, prepaid cards
/// and arrears (<see cref="WalletBalanceChanges"/>).
/// </summary>
public sealed record WalletMovement(WalletTransaction Transaction, decimal Cash, decimal Vouchers, decimal PrepaidCards, decimal Arrears)
{
    public string Currency => Transaction.Amount?.CurrencyCode is { Length: > 0 } currency ? currency : MoneyAmounts.Cny;

    public static WalletMovement Of(WalletTransaction transaction)
    {
        var changes = WalletBalanceChanges.Of(transaction);
        return new WalletMovement(transaction, changes.Cash, changes.Vouchers, changes.PrepaidCards, changes.Arrears);
    }

    /// <summary>The CSV header; the time column names its zone (<paramref name="zone"/>, "UTC+8"), since its values carry none.</summary>
    public static string[] CsvHeader(string zone) =>
        [$"time ({zone})", "kind", "what", "amount", "currency", "cash", "vouchers", "prepaid_cards", "arrears", "reference", "description", "transaction_id"];

    /// <summary>
    /// The CSV row: what the movement is about as the screen says it (<paramref name="what"/>: a charge names its
    /// workspace, where the host's description has its id), and exact amounts (invariant, two decimals, no grouping) with their currency.
    /// </summary>
    public IEnumerable<string> CsvRow(TimeZoneInfo zone, string what) =>
    [
        Display.LocalTime(Transaction.CreateTime, zone),
        Names.Of(Transaction.Kind),
        // The screen's no-break spaces (inside amounts) are plain in a file.
        what.Replace('\u00A0', ' '),
        Exact(Transaction.Amount.ToDecimal()),
        Currency,
        Exact(Cash),
        Exact(Vouchers),
        Exact(PrepaidCards),
        Exact(Arrears),
        Transaction.Reference,
        Transaction.Description,
        Transaction.TransactionId,
    ];

    /// <summary>The balances the movement changed, in the order cash, vouchers, prepaid cards, arrears, each with its change ("CNY +80.00"); the unchanged are left out.</summary>
    public IEnumerable<(string Balance, string Change)> Changes =>
        new WalletBalanceChanges(Cash, Vouchers, PrepaidCards, Arrears).Changed.Select(c => (c.Balance, Change(c.Change)));

    /// <summary>A signed change written as every amount of the console is (currency first), for example "CNY +100.00", "CNY -12.50", or "" when nothing changed.</summary>
    public string Change(decimal amount) =>
        amount == 0 ? "" : Display.Amount(Currency, (amount > 0 ? "+" : "-") + Math.Abs(amount).ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture));

    private static string Exact(decimal amount) => amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
