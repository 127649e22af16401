using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Identity;

/// <summary>The rows one guess counts on: the caller's address at one account (none for a lookup), and the address alone.</summary>
public sealed record Guess(string? PairKey, string AddressKey, GuessThrottle? Pair);

/// <summary>
/// Throttles guessing by the caller's network address (<see cref="ClientAddresses"/>), never by an
/// account alone, so that nobody can lock an owner out of their own account:
/// <list type="bullet">
/// <item>an address that fails <see cref="SecurityOptions.SignInFailuresAllowed"/> times at one account
/// (a password, an activation code) within <see cref="SecurityOptions.SignInFailureWindow"/> waits that
/// long for that account; the owner, from another address, is not affected;</item>
/// <item>an address that fails <see cref="SecurityOptions.GuessesAllowedPerAddress"/> times in all
/// (over any accounts, and lookups that tell whether an e-mail address or user name exists) waits too.</item>
/// </list>
/// Rows live in the database, so that every host counts alike. Keys never collide: an address key is
/// <c>address:</c> and the address; a pair key is an account key, <c>|</c> and the address (an address
/// has no <c>|</c>); a console account key is an e-mail address (it has an '@'), the others a prefix and
/// a name or id without '@'.
/// </summary>
public sealed class GuessThrottler(BillingDbContext db, IOptions<GuanceOptions> options, TimeProvider clock)
{
    private SecurityOptions Security => options.Value.Security;

    /// <summary>The account key of a console sign-in: the normalized e-mail address.</summary>
    public static string ConsoleAccount(string normalizedEmail) => normalizedEmail;

    /// <summary>The account key of a billing-center sign-in: <c>billing:</c> and the normalized user name (which has no '@').</summary>
    public static string BillingAccount(string normalizedUsername) => "billing:" + normalizedUsername;

    /// <summary>The account key of activation-code guesses for one billing account.</summary>
    public static string VoucherCodes(string billingAccountId) => "voucher-redeem:" + billingAccountId;

    public static string PairKey(string accountKey, string clientAddress) => accountKey + "|" + clientAddress;

    public static string AddressKey(string clientAddress) => "address:" + clientAddress;

    /// <summary>
    /// A guess at <paramref name="accountKey"/> from <paramref name="clientAddress"/>, or RESOURCE_EXHAUSTED
    /// (with the wait) when that address must wait for that account or for everything.
    /// </summary>
    public Task<Guess> CheckAsync(string accountKey, string clientAddress, string reason, string throttledMessage, CancellationToken cancellationToken) =>
        CheckKeysAsync(PairKey(accountKey, clientAddress), AddressKey(clientAddress), reason, throttledMessage, cancellationToken);

    /// <summary>A lookup that tells whether a name exists (sign-up, registration, adding a member): counted by the address alone.</summary>
    public Task<Guess> CheckLookupAsync(string clientAddress, string reason, CancellationToken cancellationToken) =>
        CheckKeysAsync(null, AddressKey(clientAddress), reason, "", cancellationToken);

    private async Task<Guess> CheckKeysAsync(string? pairKey, string addressKey, string reason, string throttledMessage, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.GuessThrottles.AsNoTracking()
            .Where(t => t.Key == addressKey || t.Key == pairKey)
            .ToListAsync(cancellationToken);
        var address = rows.FirstOrDefault(t => t.Key == addressKey);
        if (address?.BlockedUntil > now)
        {
            throw Throttled(reason, "Too many failed attempts from this network address.", address.BlockedUntil.Value - now);
        }
        var pair = rows.FirstOrDefault(t => t.Key == pairKey);
        if (pair?.BlockedUntil > now)
        {
            throw Throttled(reason, throttledMessage, pair.BlockedUntil.Value - now);
        }
        return new Guess(pairKey, addressKey, pair);
    }

    /// <summary>RESOURCE_EXHAUSTED with the wait: in words after the message (a person reads it), and as RetryInfo (a program does).</summary>
    private static BillingException Throttled(string reason, string message, TimeSpan wait)
    {
        var minutes = (int)Math.Ceiling(wait.TotalMinutes);
        var words = wait < TimeSpan.FromMinutes(1)
            ? $"{Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} seconds"
            : minutes == 1 ? "1 minute" : $"{minutes} minutes";
        return Errors.Throttled(reason, $"{message} Try again in {words}.", wait);
    }

    /// <summary>
    /// Counts one failed guess on its rows and saves it at once (the failing request saves nothing else).
    /// One conditional statement per row, so that concurrent failures, on several hosts too, all count.
    /// </summary>
    public async Task RecordFailureAsync(Guess guess, CancellationToken cancellationToken)
    {
        if (guess.PairKey is { } pairKey)
        {
            await CountAsync(pairKey, Security.SignInFailuresAllowed, cancellationToken);
        }
        await CountAsync(guess.AddressKey, Security.GuessesAllowedPerAddress, cancellationToken);
    }

    /// <summary>
    /// Forgets the address's failures at this account after a success. The address's own count stays:
    /// succeeding at one's own account must not reset guesses at others.
    /// </summary>
    public async Task ClearAsync(Guess guess, CancellationToken cancellationToken)
    {
        if (guess.Pair is not null)
        {
            await db.GuessThrottles.Where(t => t.Key == guess.Pair.Key).ExecuteDeleteAsync(cancellationToken);
        }
    }

    private async Task CountAsync(string key, int allowed, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var windowStart = now - Security.SignInFailureWindow;
        var blockedUntil = now + Security.SignInFailureWindow;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // Every SET reads the row as it was: a window that has passed starts again at this failure.
            var updated = await db.GuessThrottles.Where(t => t.Key == key).ExecuteUpdateAsync(set => set
                .SetProperty(t => t.Failures, t => t.WindowStartedAt < windowStart ? 1 : t.Failures + 1)
                .SetProperty(t => t.WindowStartedAt, t => t.WindowStartedAt < windowStart ? now : t.WindowStartedAt)
                .SetProperty(t => t.BlockedUntil, t => (t.WindowStartedAt < windowStart ? 1 : t.Failures + 1) >= allowed
                    ? blockedUntil
                    : t.WindowStartedAt < windowStart ? null : t.BlockedUntil),
                cancellationToken);
            if (updated > 0)
            {
                return;
            }
            var first = new GuessThrottle { Key = key, Failures = 1, WindowStartedAt = now, BlockedUntil = allowed <= 1 ? blockedUntil : null };
            db.GuessThrottles.Add(first);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // A concurrent first failure of the same key inserted the row: count on it.
                db.Entry(first).State = EntityState.Detached;
            }
        }
    }
}
