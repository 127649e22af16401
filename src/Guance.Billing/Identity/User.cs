namespace Guance.Billing.Identity;

/// <summary>A console account; the e-mail address (normalized) is its only credential.</summary>
public sealed class User
{
    public required string Id { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
