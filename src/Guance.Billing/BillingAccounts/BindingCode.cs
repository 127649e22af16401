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
}
