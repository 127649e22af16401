namespace Guance.Billing.Wallets;

/// <summary>
/// The ledger accounts of a billing account (values equal the contract's). Balances are signed so
/// that the entries of every transaction sum to zero: what the customer holds (cash, voucher and card
/// lots) is positive, arrears negative (owed), revenue and expired value positive, the funding and
/// receivable accounts negative (where value came from, or who still owes it).
/// </summary>
public enum LedgerAccountKind
{
    Cash = 1,
    Arrears = 2,
    OrdinaryVoucher = 3,
    FullReductionVoucher = 4,
    PrepaidCard = 5,
    Revenue = 6,
    ExpiredValue = 7,
    CloudReceivable = 8,
    PaymentsReceived = 9,
    VouchersGranted = 10,
}

public static class LedgerAccountKinds
{
    /// <summary>The accounts every billing account has from registration on; lots are opened as issued.</summary>
    public static readonly LedgerAccountKind[] Singletons =
    [
        LedgerAccountKind.Cash, LedgerAccountKind.Arrears, LedgerAccountKind.Revenue, LedgerAccountKind.ExpiredValue,
        LedgerAccountKind.CloudReceivable, LedgerAccountKind.PaymentsReceived, LedgerAccountKind.VouchersGranted,
    ];

    public static bool IsLot(this LedgerAccountKind kind) =>
        kind is LedgerAccountKind.OrdinaryVoucher or LedgerAccountKind.FullReductionVoucher or LedgerAccountKind.PrepaidCard;

    /// <summary>What the customer holds: never below zero (a check constraint says so too).</summary>
    public static bool IsHolding(this LedgerAccountKind kind) => kind == LedgerAccountKind.Cash || kind.IsLot();

    /// <summary>The id of a singleton account: readable in audits, for example <c>ba_...:cash</c>.</summary>
    public static string SingletonId(string billingAccountId, LedgerAccountKind kind) => kind switch
    {
        LedgerAccountKind.Cash => billingAccountId + ":cash",
        LedgerAccountKind.Arrears => billingAccountId + ":arrears",
        LedgerAccountKind.Revenue => billingAccountId + ":revenue",
        LedgerAccountKind.ExpiredValue => billingAccountId + ":expired",
        LedgerAccountKind.CloudReceivable => billingAccountId + ":cloud_receivable",
        LedgerAccountKind.PaymentsReceived => billingAccountId + ":payments_received",
        LedgerAccountKind.VouchersGranted => billingAccountId + ":vouchers_granted",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A lot account's id is its voucher or card id."),
    };

    /// <summary>The SQL of the sign rule, shared by the model and the migration.</summary>
    public const string SignCheckSql = "(kind NOT IN (1, 3, 4, 5) OR balance >= 0) AND (kind <> 2 OR balance <= 0)";
}
