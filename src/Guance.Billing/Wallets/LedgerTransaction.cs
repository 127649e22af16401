namespace Guance.Billing.Wallets;

/// <summary>The kind of a ledger transaction (values equal the contract's).</summary>
public enum TransactionKind
{
    Recharge = 1,
    VoucherGrant = 2,
    PrepaidCardPurchase = 3,
    Charge = 4,
    Expiry = 5,
}

/// <summary>
/// One movement of money: entries over ledger accounts of one billing account that sum to zero.
/// Immutable once written; a correction is a new transaction. The idempotency key is unique across
/// the ledger, so a retry (or a second host) finds the first result instead of moving money twice.
/// </summary>
public sealed class LedgerTransaction
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }
    public TransactionKind Kind { get; init; }

    /// <summary>For example <c>recharge:&lt;request_id&gt;</c>, <c>charge:&lt;daily bill&gt;</c>, <c>expiry:&lt;card&gt;</c>.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The request id, daily bill or lot that the transaction came from, as shown to people.</summary>
    public required string Reference { get; init; }

    /// <summary>A hash of the request's parameters: the same key with other parameters is refused.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The headline amount in cents: recharged, granted, bought, charged or cleared.</summary>
    public long Amount { get; init; }

    public string Description { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}
