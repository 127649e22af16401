using Guance.Billing.Data;
using Guance.Billing.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Wallets;

/// <summary>
/// Card and voucher expiry as a job of the host's scheduler: <see cref="ExpiryService.RunDueExpiriesAsync"/>
/// at every pass (it is idempotent), unless <see cref="WalletOptions.ExpiryJobEnabled"/> is off for this
/// host. Its due instants (a card's notice, a card's or voucher's expiry) are where a simulated clock stops.
/// </summary>
public sealed class ExpiryJob(ExpiryService expiry, BillingDbContext db, IOptions<WalletOptions> options, ILogger<ExpiryJob> logger) : IScheduledJob
{
    public string Name => "expiry";

    /// <summary>Before the day close, so that a card that expires at an instant does not pay the bills closed then.</summary>
    public int Order => 10;

    public async Task RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!options.Value.ExpiryJobEnabled)
        {
            return;
        }
        var run = await expiry.RunDueExpiriesAsync(now, cancellationToken);
        if (run.CardNotices + run.CardsExpired + run.VouchersExpired > 0)
        {
            logger.LogInformation("Expiry: {Notices} card notices, {Cards} cards and {Vouchers} vouchers expired, {Cleared} cleared",
                run.CardNotices, run.CardsExpired, run.VouchersExpired, Cny.Format(run.Cleared));
        }
    }

    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        if (!options.Value.ExpiryJobEnabled)
        {
            return null;
        }
        var notice = options.Value.CardExpiryNotice;
        var noticeHorizon = after + notice;
        var nextNotice = await db.PrepaidCards.AsNoTracking()
            .Where(c => c.ExpiryNoticeSentAt == null && c.ExpiredAt == null && c.ExpiresAt > noticeHorizon)
            .MinAsync(c => (DateTimeOffset?)c.ExpiresAt, cancellationToken);
        var nextCard = await db.PrepaidCards.AsNoTracking()
            .Where(c => c.ExpiredAt == null && c.ExpiresAt > after)
            .MinAsync(c => (DateTimeOffset?)c.ExpiresAt, cancellationToken);
        var nextVoucher = await db.Vouchers.AsNoTracking()
            .Where(v => v.ExpiredAt == null && v.ExpiresAt > after)
            .MinAsync(v => (DateTimeOffset?)v.ExpiresAt, cancellationToken);
        var candidates = new[] { nextNotice - notice, nextCard, nextVoucher }.Where(d => d is not null).ToList();
        return candidates.Count == 0 ? null : candidates.Min();
    }
}
