using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Identity;

/// <summary>
/// Throttles guessing: after <see cref="SecurityOptions.SignInFailuresAllowed"/> failures of one key
/// within <see cref="SecurityOptions.SignInFailureWindow"/>, the key waits that long. Keys of the
/// account systems never collide: a console key is an e-mail address (it always has an '@'), every
/// other key is a prefix and a name without '@'.
/// </summary>
public sealed class SignInThrottler(BillingDbContext db, IOptions<GuanceOptions> options, TimeProvider clock)
{
    private SecurityOptions Security => options.Value.Security;

    /// <summary>The key of a console sign-in: the normalized e-mail address.</summary>
    public static string ConsoleKey(string normalizedEmail) => normalizedEmail;

    /// <summary>The key of a billing-center sign-in: <c>billing:</c> and the normalized user name (which has no '@').</summary>
    public static string BillingKey(string normalizedUsername) => "billing:" + normalizedUsername;

    /// <summary>The key of voucher activation-code guesses by one billing account.</summary>
    public static string VoucherRedeemKey(string billingAccountId) => "voucher-redeem:" + billingAccountId;

    /// <summary>The key's record (tracked), after failing with RESOURCE_EXHAUSTED when it must wait.</summary>
    public async Task<SignInThrottle?> CheckAsync(string key, string throttledMessage, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var throttle = await db.SignInThrottles.FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        if (throttle?.BlockedUntil > now)
        {
            throw Errors.Throttled("SIGN_IN_THROTTLED", throttledMessage, throttle.BlockedUntil.Value - now);
        }
        return throttle;
    }

    /// <summary>
    /// Counts one failure and saves it at once (the failing request saves nothing else). One
    /// conditional statement per failure, so that concurrent failures, on several hosts too, all count.
    /// </summary>
    public async Task RecordFailureAsync(SignInThrottle? throttle, string key, CancellationToken cancellationToken)
    {
        if (throttle is not null)
        {
            db.Entry(throttle).State = EntityState.Detached;
        }
        var now = clock.GetUtcNow();
        var windowStart = now - Security.SignInFailureWindow;
        var blockedUntil = now + Security.SignInFailureWindow;
        var allowed = Security.SignInFailuresAllowed;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // Every SET reads the row as it was: a window that has passed starts again at this failure.
            var updated = await db.SignInThrottles.Where(t => t.Key == key).ExecuteUpdateAsync(set => set
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
            var first = new SignInThrottle { Key = key, Failures = 1, WindowStartedAt = now, BlockedUntil = allowed <= 1 ? blockedUntil : null };
            db.SignInThrottles.Add(first);
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

    /// <summary>Forgets the failures after a success; saved with the caller's unit of work.</summary>
    public void Clear(SignInThrottle? throttle)
    {
        if (throttle is not null)
        {
            db.SignInThrottles.Remove(throttle);
        }
    }
}
