using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Identity;

/// <summary>
/// Console accounts: sign-up, sign-in, and the user's own API tokens. Sign-ins, and sign-ups that find
/// the e-mail address taken (they tell that it exists), are throttled by the caller's address (<see cref="GuessThrottler"/>).
/// </summary>
public sealed class ConsoleAccountService(
    BillingDbContext db,
    AccessTokenService tokens,
    IPasswordHasher<User> passwordHasher,
    GuessThrottler throttler,
    IOptions<GuanceOptions> options,
    TimeProvider clock)
{
    public const int MinPasswordLength = 8;
    private const int MaxPasswordLength = 128;
    private const string TokenList = "api_tokens";
    private SecurityOptions Security => options.Value.Security;

    public sealed record TokenGrant(User User, AccessToken Token, string Bearer);

    public async Task<TokenGrant> SignUpAsync(Caller caller, string email, string password, string displayName, CancellationToken cancellationToken)
    {
        ValidateNewAccount(new RequestValidator(), email, password, displayName).ThrowIfInvalid();

        var normalized = NormalizeEmail(email!);
        var lookup = await throttler.CheckLookupAsync(caller.ClientAddress, ErrorReasons.GuessesThrottled, cancellationToken);
        await EnsureEmailFreeAsync(lookup, normalized, cancellationToken);
        var grant = AddAccount(normalized, password, displayName, "default");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw EmailTaken(normalized);
        }
        return grant;
    }

    /// <summary>The rules of a new console account's fields (SignUp, RegisterCommercial).</summary>
    public static RequestValidator ValidateNewAccount(RequestValidator validator, string? email, string? password, string? displayName) =>
        validator
            .Email(email?.Trim(), "email")
            .Check(password is { Length: >= MinPasswordLength and <= MaxPasswordLength }, "password", $"must be {MinPasswordLength} to {MaxPasswordLength} characters")
            .Text(displayName?.Trim(), "display_name", 64);

    /// <summary>EMAIL_TAKEN when an account has the address; that answer tells it exists, so it counts against the caller's address.</summary>
    public async Task EnsureEmailFreeAsync(Guess lookup, string normalizedEmail, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(u => u.Email == normalizedEmail, cancellationToken))
        {
            await throttler.RecordFailureAsync(lookup, cancellationToken);
            throw EmailTaken(normalizedEmail);
        }
    }

    /// <summary>Adds a validated new account and its first token to the unit of work; the caller saves.</summary>
    public TokenGrant AddAccount(string normalizedEmail, string password, string displayName, string tokenName)
    {
        var user = new User
        {
            Id = Ids.New("usr", clock),
            Email = normalizedEmail,
            DisplayName = displayName.Trim(),
            PasswordHash = "",
            CreatedAt = clock.GetUtcNow(),
        };
        user.PasswordHash = passwordHasher.HashPassword(user, password);
        db.Users.Add(user);
        var (token, bearer) = tokens.Issue(TokenKind.User, user.Id, tokenName, expiresAt: null);
        return new TokenGrant(user, token, bearer);
    }

    public async Task<TokenGrant> SignInAsync(Caller caller, string email, string password, CancellationToken cancellationToken)
    {
        new RequestValidator()
            .Email(email?.Trim(), "email")
            .Required(password, "password")
            .ThrowIfInvalid();

        var normalized = NormalizeEmail(email!);
        var now = clock.GetUtcNow();
        var guess = await throttler.CheckAsync(GuessThrottler.ConsoleAccount(normalized), caller.ClientAddress, ErrorReasons.SignInThrottled,
            "Too many failed sign-ins for this e-mail address from this network address.", cancellationToken);

        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        // Verify against a hash even when there is no such user, so that timing tells nothing either.
        var verified = passwordHasher.VerifyHashedPassword(user ?? DecoyUser, user?.PasswordHash ?? DecoyHash, password!);
        if (user is null || verified == PasswordVerificationResult.Failed)
        {
            await throttler.RecordFailureAsync(guess, cancellationToken);
            throw Errors.Unauthenticated(ErrorReasons.InvalidCredentials, "The e-mail address or the password is wrong.");
        }

        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = passwordHasher.HashPassword(user, password!);
        }
        await throttler.ClearAsync(guess, cancellationToken);
        var (token, bearer) = tokens.Issue(TokenKind.User, user.Id, "sign-in", now + Security.SignInTokenLifetime);
        await db.SaveChangesAsync(cancellationToken);
        return new TokenGrant(user, token, bearer);
    }

    public async Task<User> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
        ?? throw Errors.Unauthenticated(ErrorReasons.TokenInvalid, "The account of this token no longer exists.");

    public async Task<(AccessToken Token, string Bearer)> CreateApiTokenAsync(string userId, string displayName, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        new RequestValidator()
            .Text(displayName?.Trim(), "display_name", 64)
            .Check(expiresAt is null || expiresAt > clock.GetUtcNow(), "expire_time", "must be in the future")
            .ThrowIfInvalid();
        var issued = tokens.Issue(TokenKind.User, userId, displayName!.Trim(), expiresAt);
        await db.SaveChangesAsync(cancellationToken);
        return issued;
    }

    public async Task<(IReadOnlyList<AccessToken> Tokens, string NextPageToken)> ListApiTokensAsync(string userId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        new RequestValidator().Page(pageSize, pageToken, $"{TokenList}:{userId}", out var page).ThrowIfInvalid();
        return await page.FetchAsync(
            db.AccessTokens.AsNoTracking().Where(t => t.SubjectId == userId && t.Kind == TokenKind.User), t => t.Id, cancellationToken);
    }

    public async Task<AccessToken> RevokeApiTokenAsync(string userId, string tokenId, CancellationToken cancellationToken)
    {
        new RequestValidator().Id(tokenId, "api_token_id", TokenCodec.IdPrefix(TokenKind.User)).ThrowIfInvalid();
        var token = await db.AccessTokens.FirstOrDefaultAsync(
            t => t.Id == tokenId && t.SubjectId == userId && t.Kind == TokenKind.User, cancellationToken)
            ?? throw Errors.NotFound(ResourceTypes.ApiToken, tokenId);
        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }
        return token;
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public static BillingException EmailTaken(string email) =>
        Errors.AlreadyExists(ErrorReasons.EmailTaken, ResourceTypes.User, email, "A console account with this e-mail address already exists.");

    private static readonly User DecoyUser = new() { Id = "usr_decoy", Email = "", DisplayName = "", PasswordHash = "" };
    private string DecoyHash => _decoyHash ??= passwordHasher.HashPassword(DecoyUser, "decoy-password");
    private static string? _decoyHash;
}
