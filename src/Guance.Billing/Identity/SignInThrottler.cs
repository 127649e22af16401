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

    /// <summary>Counts one failure and saves it at once (the failing request saves nothing else).</summary>
    public async Task RecordFailureAsync(SignInThrottle? throttle, string key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (throttle is null)
        {
            throttle = new SignInThrottle { Key = key, WindowStartedAt = now };
            db.SignInThrottles.Add(throttle);
        }
        else if (now - throttle.WindowStartedAt > Security.SignInFailureWindow)
        {
            throttle.WindowStartedAt = now;
            throttle.Failures = 0;
            throttle.BlockedUntil = null;
        }
        throttle.Failures++;
        if (throttle.Failures >= Security.SignInFailuresAllowed)
        {
            throttle.BlockedUntil = now + Security.SignInFailureWindow;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) || DbErrors.IsConcurrencyConflict(e))
        {
            // A concurrent failure of the same key counted first; one lost count does not matter.
            db.Entry(throttle).State = EntityState.Detached;
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
