using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.Wallets;

public sealed class ExpiryServiceTests
{
    private static Task<ExpiryRun> RunAsync(WalletTestBed bed, DateTimeOffset now) =>
        bed.InScopeAsync(s => s.GetRequiredService<ExpiryService>().RunDueExpiriesAsync(now, CancellationToken.None));

    private static Task<List<Notification>> NotificationsAsync(WalletTestBed bed, NotificationKind kind) =>
        bed.InScopeAsync(s => s.GetRequiredService<BillingDbContext>().Notifications.AsNoTracking().Where(n => n.Kind == kind).ToListAsync());

    [Fact]
    public async Task The_notice_goes_out_once_three_days_ahead_and_expiry_clears_the_rest_once()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        var start = bed.Clock.GetUtcNow();
        var spent = (await bed.IssueCardAsync(account, 100, TimeSpan.FromDays(10))).Card.Card;
        var card = (await bed.IssueCardAsync(account, 200, TimeSpan.FromDays(10))).Card.Card;
        // Both expire together, so the older pays first and is used up; the newer keeps 150.00.
        await bed.ChargeAsync(account, ("logs", 15_000));

        Assert.Equal(new ExpiryRun(0, 0, 0, 0), await RunAsync(bed, start.AddDays(7).AddTicks(-10)));
        var notices = await RunAsync(bed, start.AddDays(7));
        Assert.Equal(1, notices.CardNotices); // only the card that still holds something
        Assert.Equal(0, (await RunAsync(bed, start.AddDays(8))).CardNotices);
        var notice = Assert.Single(await NotificationsAsync(bed, NotificationKind.CardExpiringSoon));
        Assert.Equal("card_expiring:" + card.Id, notice.DedupeKey);

        // Both runs, at once, at expiry: each card is expired once, its rest cleared once.
        var runs = await Task.WhenAll(RunAsync(bed, start.AddDays(10)), RunAsync(bed, start.AddDays(10)));
        Assert.Equal(2, runs.Sum(r => r.CardsExpired));
        Assert.Equal(15_000, runs.Sum(r => r.Cleared));
        Assert.Contains("150.00 CNY", notice.Body);
        Assert.Single(await NotificationsAsync(bed, NotificationKind.CardExpired));
        Assert.Equal(new ExpiryRun(0, 0, 0, 0), await RunAsync(bed, start.AddDays(11)));
        Assert.Equal(0, (await bed.WalletAsync(account)).PrepaidCards);
        Assert.Equal(0, (await bed.InScopeAsync(s => s.GetRequiredService<BillingDbContext>().PrepaidCards.AsNoTracking()
            .Where(c => c.Id == spent.Id && c.ExpiryNoticeSentAt != null).CountAsync())));
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Expired_lots_no_longer_pay_even_before_the_job_runs()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        await bed.GrantVoucherAsync(account, 50, TimeSpan.FromHours(1));
        await bed.IssueCardAsync(account, 100, TimeSpan.FromHours(2));

        bed.Clock.Advance(TimeSpan.FromHours(1));
        var charged = await bed.ChargeAsync(account, ("logs", 1_000));
        Assert.Equal(FundingSource.PrepaidCard, Assert.Single(charged.Result.Allocations).Source);
        bed.Clock.Advance(TimeSpan.FromHours(1));
        charged = await bed.ChargeAsync(account, ("logs", 1_000));
        Assert.Equal(FundingSource.Arrears, Assert.Single(charged.Result.Allocations).Source);

        var run = await RunAsync(bed, bed.Clock.GetUtcNow());
        Assert.Equal((1, 1, 5_000 + 9_000), (run.CardsExpired, run.VouchersExpired, run.Cleared));
        await bed.AssertLedgerCleanAsync();
    }
}
