using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Notifications;
using Guance.Billing.Wallets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.BillingAccounts;

/// <summary>A billing account with its latest enterprise certification (null when none was submitted).</summary>
public sealed record BillingAccountDetails(BillingAccount Account, EnterpriseCertification? Certification);

/// <summary>A billing-center session: its token row and the bearer, shown once.</summary>
public sealed record BillingSessionGrant(BillingAccountDetails Account, AccessToken Session, string Bearer);

/// <summary>
/// Billing-center accounts: registration (with the wallet), sign-in to sessions that expire
/// (throttled like console sign-ins), the profile, and the password.
/// </summary>
public sealed class BillingAccountManager(
    BillingDbContext db,
    BillingAccountAccess access,
    AccessTokenService tokens,
    IPasswordHasher<BillingAccount> passwordHasher,
    GuessThrottler throttler,
    IOptions<BillingCenterOptions> options,
    TimeProvider clock)
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    private const int MaxDisplayName = 64;
    private const string ThrottledMessage = "Too many failed sign-ins for this user name from this network address.";
    private static readonly string[] UpdatableFields = ["email", "display_name", "contact_phone", "language"];

    /// <summary>
    /// Creates the account, its wallet and a first session. Anyone may register; a registration that
    /// finds the user name taken (it tells that the name exists) counts against the caller's address.
    /// </summary>
    public async Task<BillingSessionGrant> RegisterAsync(Caller caller, string username, string password, string email, string? displayName, CancellationToken cancellationToken)
    {
        ValidateNewAccount(new RequestValidator(), username, password, email, displayName).ThrowIfInvalid();

        var trimmedUsername = username.Trim();
        var lookup = await throttler.CheckLookupAsync(caller.ClientAddress, ErrorReasons.GuessesThrottled, cancellationToken);
        await EnsureUsernameFreeAsync(lookup, trimmedUsername, cancellationToken);
        var grant = AddAccount(trimmedUsername, password, email, displayName, "registration");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw UsernameTaken(trimmedUsername);
        }
        return grant;
    }

    /// <summary>The rules of a new billing account's fields (RegisterBillingAccount; RegisterCommercial checks its password and e-mail once, as the console's).</summary>
    public static RequestValidator ValidateNewAccount(RequestValidator validator, string? username, string? password, string? email, string? displayName) =>
        ValidateUsername(validator, username)
            .Check(password is { Length: >= MinPasswordLength and <= MaxPasswordLength }, "password", $"must be {MinPasswordLength} to {MaxPasswordLength} characters")
            .Email(email?.Trim(), "email")
            .Text(displayName?.Trim(), "display_name", MaxDisplayName, required: false);

    public static RequestValidator ValidateUsername(RequestValidator validator, string? username) =>
        validator.Check(Usernames.IsValid(username?.Trim()), "username", Usernames.Rule);

    /// <summary>USERNAME_TAKEN when an account has the name in any case; that answer tells it exists, so it counts against the caller's address.</summary>
    public async Task EnsureUsernameFreeAsync(Guess lookup, string username, CancellationToken cancellationToken)
    {
        var normalized = Usernames.Normalize(username);
        if (await db.BillingAccounts.AnyAsync(a => a.NormalizedUsername == normalized, cancellationToken))
        {
            await throttler.RecordFailureAsync(lookup, cancellationToken);
            throw UsernameTaken(username);
        }
    }

    /// <summary>Adds a validated new account, its wallet and a first session to the unit of work; the caller saves.</summary>
    public BillingSessionGrant AddAccount(string username, string password, string email, string? displayName, string sessionName)
    {
        var now = clock.GetUtcNow();
        var account = new BillingAccount
        {
            Id = Ids.New("ba", clock),
            Username = username,
            NormalizedUsername = Usernames.Normalize(username),
            Email = email.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? username : displayName.Trim(),
            PasswordHash = "",
            CreatedAt = now,
            UpdatedAt = now,
        };
        account.PasswordHash = passwordHasher.HashPassword(account, password);
        db.BillingAccounts.Add(account);
        WalletSetup.Open(db, account.Id, now);
        var (session, bearer) = tokens.Issue(TokenKind.BillingSession, account.Id, sessionName, now + options.Value.SessionLifetime);
        return new BillingSessionGrant(new BillingAccountDetails(account, null), session, bearer);
    }

    /// <summary>A new session for a user name (any case) and password; the same answer whether the name exists or not.</summary>
    public async Task<BillingSessionGrant> SignInAsync(Caller caller, string username, string password, CancellationToken cancellationToken)
    {
        new RequestValidator()
            .Required(username, "username")
            .Required(password, "password")
            .ThrowIfInvalid();

        var normalized = Usernames.Normalize(username);
        var guess = await throttler.CheckAsync(GuessThrottler.BillingAccount(normalized), caller.ClientAddress, ErrorReasons.SignInThrottled, ThrottledMessage, cancellationToken);
        var account = await db.BillingAccounts.FirstOrDefaultAsync(a => a.NormalizedUsername == normalized, cancellationToken);
        // Verify against a hash even when there is no such account, so that timing tells nothing either.
        var verified = passwordHasher.VerifyHashedPassword(account ?? DecoyAccount, account?.PasswordHash ?? DecoyHash, password);
        if (account is null || verified == PasswordVerificationResult.Failed)
        {
            await throttler.RecordFailureAsync(guess, cancellationToken);
            throw Errors.Unauthenticated(ErrorReasons.InvalidCredentials, "The user name or the password is wrong.");
        }
        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = passwordHasher.HashPassword(account, password);
            account.Version++;
        }
        await throttler.ClearAsync(guess, cancellationToken);
        var (session, bearer) = tokens.Issue(TokenKind.BillingSession, account.Id, "sign-in", clock.GetUtcNow() + options.Value.SessionLifetime);
        await db.SaveChangesAsync(cancellationToken);
        return new BillingSessionGrant(await DetailsAsync(account, cancellationToken), session, bearer);
    }

    public async Task<BillingAccountDetails> GetAsync(Caller caller, string billingAccountId, CancellationToken cancellationToken)
    {
        var account = await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken);
        return await DetailsAsync(account, cancellationToken);
    }

    /// <summary>Updates the fields named in the mask: email, display_name, contact_phone, language. The user name never changes.</summary>
    public async Task<BillingAccountDetails> UpdateAsync(
        Caller caller, string billingAccountId, string? email, string? displayName, string? contactPhone, string? language, IReadOnlyCollection<string> updateMask,
        CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Check(updateMask.Count > 0, "update_mask", "must name at least one field: email, display_name, contact_phone, language");
        if (validator.Size(updateMask.Count, "update_mask", RequestValidator.MaxUpdateMaskPaths))
        {
            foreach (var path in updateMask)
            {
                validator.Check(path != "username", "update_mask", "'username' cannot be changed: the user name of a billing account is permanent");
                validator.Check(path == "username" || UpdatableFields.Contains(path), "update_mask",
                    $"'{Errors.Echo(path)}' cannot be updated; updatable fields are email, display_name, contact_phone and language");
            }
        }
        if (updateMask.Contains("email"))
        {
            validator.Email(email?.Trim(), "billing_account.email");
        }
        if (updateMask.Contains("display_name"))
        {
            validator.Text(displayName?.Trim(), "billing_account.display_name", MaxDisplayName);
        }
        if (updateMask.Contains("contact_phone"))
        {
            validator.Check(IsPhone(contactPhone), "billing_account.contact_phone", "must be a phone number: 5 to 20 digits, spaces, '+', '-', '(' or ')'; empty to clear it");
        }
        if (updateMask.Contains("language"))
        {
            // docs/domain.md §9: the notices' language; empty returns to the site's.
            validator.Check(string.IsNullOrEmpty(language) || NotificationLanguages.IsSupported(language), "billing_account.language",
                "must be zh-CN or en, or empty for the site's language");
        }
        var account = await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Manage, cancellationToken, validator, tracked: true);

        if (updateMask.Contains("email"))
        {
            account.Email = email!.Trim();
        }
        if (updateMask.Contains("display_name"))
        {
            account.DisplayName = displayName!.Trim();
        }
        if (updateMask.Contains("contact_phone"))
        {
            account.ContactPhone = contactPhone?.Trim() ?? "";
        }
        if (updateMask.Contains("language"))
        {
            account.Language = language ?? "";
        }
        account.UpdatedAt = clock.GetUtcNow();
        account.Version++;
        await SaveAsync(cancellationToken);
        return await DetailsAsync(account, cancellationToken);
    }

    /// <summary>Changes the password (the account's own session, knowing the current one) and ends every other session.</summary>
    public async Task<(BillingAccountDetails Account, int EndedSessions)> ChangePasswordAsync(
        Caller caller, string billingAccountId, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Required(currentPassword, "current_password")
            .Check(newPassword is { Length: >= MinPasswordLength and <= MaxPasswordLength }, "new_password", $"must be {MinPasswordLength} to {MaxPasswordLength} characters")
            .Check(string.IsNullOrEmpty(newPassword) || newPassword != currentPassword, "new_password", "must differ from the current password");
        var account = await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Consent, cancellationToken, validator, tracked: true);

        var guess = await throttler.CheckAsync(GuessThrottler.BillingAccount(account.NormalizedUsername), caller.ClientAddress, ErrorReasons.SignInThrottled,
            ThrottledMessage, cancellationToken);
        if (passwordHasher.VerifyHashedPassword(account, account.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            db.Entry(account).State = EntityState.Unchanged;
            await throttler.RecordFailureAsync(guess, cancellationToken);
            throw Errors.InvalidArgument("current_password", "is not the account's current password");
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        account.PasswordHash = passwordHasher.HashPassword(account, newPassword);
        account.UpdatedAt = now;
        account.Version++;
        await throttler.ClearAsync(guess, cancellationToken);
        await SaveAsync(cancellationToken);
        var ended = await db.AccessTokens
            .Where(t => t.SubjectId == billingAccountId && t.Kind == TokenKind.BillingSession && t.RevokedAt == null && t.Id != caller.TokenId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await DetailsAsync(account, cancellationToken), ended);
    }

    /// <summary>Ends the caller's own billing-center session (signing out); its token is refused from then on.</summary>
    public async Task<DateTimeOffset> SignOutAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireAuthenticated();
        if (caller.Kind != CallerKind.BillingAccount || caller.TokenId is null)
        {
            throw Errors.PermissionDenied(ErrorReasons.BillingSessionRequired, "Only a billing-center session can sign out.");
        }
        var now = clock.GetUtcNow();
        await db.AccessTokens
            .Where(t => t.Id == caller.TokenId && t.Kind == TokenKind.BillingSession && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        return now;
    }

    /// <summary>The account's latest certification submission, or null.</summary>
    public Task<EnterpriseCertification?> LatestCertificationAsync(string billingAccountId, CancellationToken cancellationToken) =>
        db.EnterpriseCertifications.AsNoTracking()
            .Where(c => c.BillingAccountId == billingAccountId)
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);

    private async Task<BillingAccountDetails> DetailsAsync(BillingAccount account, CancellationToken cancellationToken) =>
        new(account, await LatestCertificationAsync(account.Id, cancellationToken));

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, "The billing account changed while this request ran; read it again and retry.");
        }
    }

    /// <summary>Empty, or 5 to 20 digits, spaces, '+', '-', '(' or ')' with at least 5 digits.</summary>
    internal static bool IsPhone(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        var trimmed = value.Trim();
        return trimmed.Length is >= 5 and <= 20
            && trimmed.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')')
            && trimmed.Count(char.IsAsciiDigit) >= 5;
    }

    public static BillingException UsernameTaken(string username) =>
        Errors.AlreadyExists(ErrorReasons.UsernameTaken, ResourceTypes.BillingAccount, username, "A billing account with this user name (in any case) already exists.");

    private static readonly BillingAccount DecoyAccount = new()
    {
        Id = "ba_decoy", Username = "", NormalizedUsername = "", Email = "", DisplayName = "", PasswordHash = "",
    };
    private string DecoyHash => _decoyHash ??= passwordHasher.HashPassword(DecoyAccount, "decoy-password");
    private static string? _decoyHash;
}
