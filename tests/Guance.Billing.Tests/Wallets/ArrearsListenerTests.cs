using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.Wallets;

public sealed class ArrearsListenerTests
{
    private sealed class Recorder
    {
        public List<(ArrearsChange Change, bool InTransaction)> Changes { get; } = new();
        public bool FailOnPaid { get; set; }

        /// <summary>A lock date the listener names in the ARREARS_STARTED notice, as a countdown would.</summary>
        public DateTimeOffset? LockAt { get; set; }
    }

    private sealed class RecordingListener(Recorder recorder, BillingDbContext db) : IArrearsListener
    {
        public Task OnArrearsChangedAsync(ArrearsChange change, NoticeValues notice, CancellationToken cancellationToken)
        {
            recorder.Changes.Add((change, db.Database.CurrentTransaction is not null));
            if (recorder.FailOnPaid && change.Kind == ArrearsChangeKind.Paid)
            {
                throw new InvalidOperationException("unlock failed");
            }
            if (recorder.LockAt is { } lockAt && change.Kind == ArrearsChangeKind.Started)
            {
                notice.Time("lock_at", lockAt).Flag("locks", true);
            }
            return Task.CompletedTask;
        }
    }

    private static async Task<(WalletTestBed Bed, Recorder Recorder)> CreateAsync()
    {
        var recorder = new Recorder();
        var bed = await WalletTestBed.CreateAsync(configure: s =>
        {
            s.AddSingleton(recorder);
            s.AddScoped<IArrearsListener, RecordingListener>();
        });
        return (bed, recorder);
    }

    [Fact]
    public async Task Listeners_hear_when_arrears_start_and_when_they_are_paid_inside_the_payment_s_transaction()
    {
        var (bed, recorder) = await CreateAsync();
        await using var _ = bed;
        var account = await bed.RegisterAsync();
        var started = bed.Clock.GetUtcNow();

        var charge = await bed.ChargeAsync(account, ("logs", 1_000));
        bed.Clock.Advance(TimeSpan.FromDays(2));
        await bed.ChargeAsync(account, ("logs", 500)); // more arrears: no new event
        await bed.RechargeAsync(account, 400); // partly paid: no event
        var paid = await bed.RechargeAsync(account, 2_000);

        Assert.Equal(2, recorder.Changes.Count);
        var (start, startInTransaction) = recorder.Changes[0];
        Assert.Equal(new ArrearsChange(account, ArrearsChangeKind.Started, started, 1_000, charge.Result.TransactionId, started), start);
        Assert.True(startInTransaction);
        var (end, endInTransaction) = recorder.Changes[1];
        Assert.Equal(new ArrearsChange(account, ArrearsChangeKind.Paid, started, 0, paid.Transaction.Transaction.Id, bed.Clock.GetUtcNow()), end);
        Assert.True(endInTransaction);
        Assert.Equal(900, (await bed.WalletAsync(account)).Cash);
    }

    [Fact]
    public async Task A_listener_that_fails_undoes_the_payment()
    {
        var (bed, recorder) = await CreateAsync();
        await using var _ = bed;
        var account = await bed.RegisterAsync();
        await bed.ChargeAsync(account, ("logs", 1_000));
        recorder.FailOnPaid = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => bed.RechargeAsync(account, 5_000));
        var wallet = await bed.WalletAsync(account);
        Assert.Equal(1_000, wallet.Arrears);
        Assert.Equal(0, wallet.Cash);
        Assert.NotNull(wallet.ArrearsSince);
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task The_arrears_notice_is_written_after_the_listeners_with_the_figures_they_added()
    {
        var (bed, recorder) = await CreateAsync();
        await using var _ = bed;
        var uncounted = await bed.RegisterAsync();
        var counted = await bed.RegisterAsync();
        var lockAt = bed.Clock.GetUtcNow().AddDays(14);

        await bed.ChargeAsync(uncounted, ("logs", 1_000));
        recorder.LockAt = lockAt;
        await bed.ChargeAsync(counted, ("logs", 1_000));

        var zone = await bed.InScopeAsync(s => Task.FromResult(s.GetRequiredService<NoticeAudiences>().Of(counted, null).Zone));
        var named = await ArrearsStartedAsync(bed, counted);
        Assert.Contains($"are locked on {NotificationTexts.Time(lockAt, zone)}", named.Body, StringComparison.Ordinal);
        Assert.Contains(NotificationTexts.Time(lockAt, zone), named.HtmlBody, StringComparison.Ordinal);
        var unnamed = await ArrearsStartedAsync(bed, uncounted);
        Assert.Contains("lock none of its workspaces", unnamed.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("locked on", unnamed.Body, StringComparison.Ordinal);
    }

    private static Task<Notification> ArrearsStartedAsync(WalletTestBed bed, string account) =>
        bed.InScopeAsync(s => s.GetRequiredService<BillingDbContext>().Notifications
            .SingleAsync(n => n.BillingAccountId == account && n.Kind == NotificationKind.ArrearsStarted));
}
