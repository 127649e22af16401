namespace Guance.Billing.BillingAccounts;

/// <summary>
/// A billing account's consent to pay for one workspace: a one-time code, shown once, that expires
/// in minutes. Only a SHA-256 hash of the code is stored (the code has 60 random bits and lives
/// minutes, so a fast hash is enough).
/// </summary>
public sealed class BindingCode
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }
    public required byte[] CodeHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? RedeemedAt { get; set; }
    public string? RedeemedByWorkspaceId { get; set; }

    /// <summary>When the account revoked it unused; a revoked code binds nothing.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Its state at <paramref name="now"/>: revoked and used are final, an unused code expires.</summary>
    public BindingCodeState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? BindingCodeState.Revoked
        : RedeemedAt is not null ? BindingCodeState.Used
        : ExpiresAt <= now ? BindingCodeState.Expired
        : BindingCodeState.Unused;
}

/// <summary>The state of a <see cref="BindingCode"/>.</summary>
public enum BindingCodeState
{
    Unused = 1,
    Used = 2,
    Expired = 3,
    Revoked = 4,
}
