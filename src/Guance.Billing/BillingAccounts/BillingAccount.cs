namespace Guance.Billing.BillingAccounts;

/// <summary>
/// A billing-center account: it pays for the workspaces bound to it, from its wallet. Its user name
/// is unique case-insensitively and never changes.
/// </summary>
public sealed class BillingAccount
{
    public required string Id { get; init; }

    /// <summary>The user name as registered.</summary>
    public required string Username { get; init; }

    /// <summary>The user name in lower case: the unique key that sign-in looks up.</summary>
    public required string NormalizedUsername { get; init; }

    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public string ContactPhone { get; set; } = "";

    /// <summary>The language of its notices (<c>zh-CN</c> or <c>en</c>); empty: chosen by site (docs/domain.md §9).</summary>
    public string Language { get; set; } = "";
    public required string PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Bumped on every change of the profile or password, so that two writers cannot both win.</summary>
    public long Version { get; set; }
}
