namespace Guance.Billing.Wallets;

/// <summary>
/// What makes a wallet write idempotent: its idempotency key, the fingerprint of the request that
/// used it first, and how a caller names the key in an error (for example "reference db_...").
/// </summary>
public sealed record ReplayKey(string IdempotencyKey, string Fingerprint, string Subject);
