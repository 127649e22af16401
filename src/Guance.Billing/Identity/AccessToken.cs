namespace Guance.Billing.Identity;

/// <summary>
/// A bearer token of any kind. Only a SHA-256 hash of its secret is stored; the secret has 160
/// random bits, so a fast hash is enough (unlike a password).
/// </summary>
public sealed class AccessToken
{
    public required string Id { get; init; }
    public TokenKind Kind { get; init; }

    /// <summary>The user, workspace or billing account the token acts for, by kind.</summary>
    public required string SubjectId { get; init; }

    public required string DisplayName { get; init; }
    public required byte[] SecretHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The console user who created a collector token.</summary>
    public string? CreatedByUserId { get; init; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
