using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Invoices;
using Guance.Billing.Notifications;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;
using NotificationChannel = Guance.Billing.V1.NotificationChannel;
using NotificationKind = Guance.Billing.V1.NotificationKind;

namespace Guance.Billing.IntegrationTests.Notifications;

/// <summary>
/// The e-mail channel against a real SMTP server (docs/domain.md §9): what arrives, a server that refuses
/// or is down (pending, retried with back-off, nothing lost, nothing sent twice), the retry window's
/// end, and a claim left by a host that died.
/// </summary>
public sealed class EmailDeliveryTests(EmailHostFixture fixture) : IClassFixture<EmailHostFixture>
{
    private readonly BillingHost host = fixture.Host;
    private readonly SmtpTestServer smtp = fixture.Smtp;

    private async Task<(TestBillingAccount Account, string Email)> InArrearsAsync(string name, decimal amount = 12.34m)
    {
        var account = await host.RegisterBillingAccountAsync(name);
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", amount)));
        return (account, account.Account.Email);
    }

    private static NotificationChannelDeliveries Email(V1.Notification notice) =>
        Assert.Single(notice.Channels, c => c.Channel == NotificationChannel.Email);

    [Fact]
    public async Task A_notice_arrives_over_smtp_as_a_mime_message_to_its_recipient_with_its_figures_and_notice_id()
    {
        var (account, email) = await InArrearsAsync("smtp-ok");
        var pending = await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted);
        Assert.Equal(1, Email(pending).Pending);
        Assert.Null(pending.DeliverTime);

        await fixture.DeliverAsync();

        var message = Assert.Single(smtp.To(email));
        Assert.Equal($"{pending.NotificationId}@guance.test", message.MessageId);
        Assert.Equal(pending.NotificationId, message.Headers[EmailNotificationSender.NotificationIdHeader]);
        Assert.Equal("billing@guance.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(email, Assert.Single(message.To.Mailboxes).Address);
        Assert.Contains(account.Username, message.Subject, StringComparison.Ordinal);
        Assert.Contains("12.34", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("recharge", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("12.34", message.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", message.HtmlBody, StringComparison.Ordinal);

        var sent = await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted);
        Assert.Equal((1, 0, 0, 1), (Email(sent).Sent, Email(sent).Pending, Email(sent).Failed, Email(sent).Attempts));
        Assert.Equal(host.Clock.GetUtcNow(), sent.DeliverTime.ToDateTimeOffset());
        Assert.Null(Email(sent).NextAttemptTime);

        await fixture.DeliverAsync();
        Assert.Single(smtp.To(email)); // sent is sent
    }

    [Fact]
    public async Task An_issued_electronic_invoice_is_e_mailed_with_its_pdf_to_the_address_it_was_requested_to_and_to_the_account()
    {
        var (account, bill) = await host.AccountWithCashBillAsync(30.5m);
        var request = InvoiceKit.Electronic(account, await account.CreateInfoAsync(), bill);
        request.Email = "Invoices.Desk@Example.com";
        var issued = await host.IssueAsync(await account.RequestAsync(request), "E-MAIL-0001");

        await fixture.DeliverAsync();

        // docs/domain.md §8: electronic invoices are e-mailed, to the address given in the request (and the account hears of it too).
        foreach (var address in new[] { "invoices.desk@example.com", account.Account.Email })
        {
            var message = Assert.Single(smtp.To(address), m => (m.Subject ?? "").Contains("E-MAIL-0001", StringComparison.Ordinal));
            Assert.Contains("attached", message.TextBody, StringComparison.Ordinal);
            var pdf = Assert.IsType<MimeKit.MimePart>(Assert.Single(message.Attachments));
            Assert.Equal(("invoice-E-MAIL-0001.pdf", "application/pdf"), (pdf.FileName, pdf.ContentType.MimeType));
            using var content = new MemoryStream();
            await Assert.IsAssignableFrom<MimeKit.IMimeContent>(pdf.Content).DecodeToAsync(content);
            Assert.Equal(InvoiceKit.Pdf, content.ToArray());
        }
        // Other notices carry no file.
        Assert.All(smtp.Messages.Where(m => !(m.Subject ?? "").Contains("E-MAIL-0001", StringComparison.Ordinal)), m => Assert.Empty(m.Attachments));
        var notices = (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.InvoiceIssued },
        })).Notifications;
        Assert.All(notices, n => Assert.Equal(issued.InvoiceId, n.Reference));
        Assert.Equal(2, notices.Count);
    }

    [Fact]
    public async Task A_server_that_refuses_leaves_the_delivery_pending_and_it_is_retried_with_backoff_then_sent_once()
    {
        var (account, email) = await InArrearsAsync("smtp-refuse");
        smtp.Refusing = true;
        try
        {
            await fixture.DeliverAsync();
        }
        finally
        {
            smtp.Refusing = false;
        }
        var notice = await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted);
        var channel = Email(notice);
        Assert.Equal((1, 0, 1), (channel.Pending, channel.Sent, channel.Attempts));
        Assert.StartsWith("SMTP 550", channel.LastError, StringComparison.Ordinal);
        Assert.Equal(channel.LastError, notice.LastError);
        var retryAt = channel.NextAttemptTime.ToDateTimeOffset();
        Assert.InRange(retryAt - host.Clock.GetUtcNow(), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(37.5));

        await fixture.DeliverAsync(); // backing off: not tried before its time
        Assert.Empty(smtp.To(email));
        Assert.Equal(1, Email(await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted)).Attempts);

        host.MoveClockTo(retryAt);
        await fixture.DeliverAsync();
        await fixture.DeliverAsync();
        Assert.Single(smtp.To(email));
        channel = Email(await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted));
        Assert.Equal((0, 1, 2, ""), (channel.Pending, channel.Sent, channel.Attempts, channel.LastError));
    }

    [Fact]
    public async Task The_meter_counts_sent_retried_and_failed_deliveries_per_channel_and_the_age_of_the_oldest_pending()
    {
        using var meter = new NotificationMeterRecorder(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await fixture.DeliverAsync(); // what other tests left is out of the way
        Assert.Null(meter.OldestPendingAge());
        var (account, _) = await InArrearsAsync("smtp-meter");
        smtp.Refusing = true;
        try
        {
            await fixture.DeliverAsync();
        }
        finally
        {
            smtp.Refusing = false;
        }
        Assert.Equal((0, 1, 0), (meter.Count("guance.notifications.sent"), meter.Count("guance.notifications.retried"), meter.Count("guance.notifications.failed")));
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(600, meter.OldestPendingAge());

        await fixture.DeliverAsync();
        Assert.Equal((1, 1), (meter.Count("guance.notifications.sent"), meter.Count("guance.notifications.retried")));
        Assert.Null(meter.OldestPendingAge());
        Assert.Equal(1, Email(await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted)).Sent);
    }

    [Fact]
    public async Task A_server_that_is_down_loses_nothing_the_delivery_waits_and_goes_out_when_it_is_back()
    {
        var (account, email) = await InArrearsAsync("smtp-down");
        await smtp.StopAsync();
        try
        {
            await fixture.DeliverAsync();
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            await fixture.DeliverAsync();
        }
        finally
        {
            await smtp.StartAgainAsync();
        }
        var channel = Email(await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted));
        Assert.Equal((1, 0, 2), (channel.Pending, channel.Sent, channel.Attempts));
        Assert.NotEmpty(channel.LastError);
        // The second failure backs off twice as long as the first.
        Assert.InRange(channel.NextAttemptTime.ToDateTimeOffset() - host.Clock.GetUtcNow(), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(75));

        host.MoveClockTo(channel.NextAttemptTime.ToDateTimeOffset());
        await fixture.DeliverAsync();
        Assert.Single(smtp.To(email));
        Assert.Equal(1, Email(await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted)).Sent);
    }

    [Fact]
    public async Task A_delivery_is_retried_for_at_least_a_day_then_failed_and_no_longer_tried()
    {
        using var meter = new NotificationMeterRecorder(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var (account, email) = await InArrearsAsync("smtp-give-up");
        var created = (await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted)).CreateTime.ToDateTimeOffset();
        NotificationChannelDeliveries channel;
        smtp.Refusing = true;
        try
        {
            await fixture.DeliverAsync();
            while ((channel = Email(await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted))).Pending == 1)
            {
                Assert.True(channel.Attempts < 100, "the retry window never ends");
                host.MoveClockTo(channel.NextAttemptTime.ToDateTimeOffset());
                await fixture.DeliverAsync();
            }
        }
        finally
        {
            smtp.Refusing = false;
        }
        Assert.Equal((0, 0, 1), (channel.Pending, channel.Sent, channel.Failed));
        Assert.Equal(created + TimeSpan.FromDays(1), host.Clock.GetUtcNow()); // the last attempt a day after the notice
        Assert.InRange(channel.Attempts, 20, 40); // 30 s doubling to an hour, then hourly
        Assert.StartsWith("SMTP 550", channel.LastError, StringComparison.Ordinal);
        Assert.Null(channel.NextAttemptTime);
        Assert.Equal(1, meter.Count("guance.notifications.failed"));
        Assert.Equal(channel.Attempts - 1, meter.Count("guance.notifications.retried"));

        host.Clock.Advance(TimeSpan.FromDays(2));
        await fixture.DeliverAsync();
        Assert.Empty(smtp.To(email));
        Assert.Equal(channel.Attempts, Email(await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted)).Attempts);
    }

    [Fact]
    public async Task A_claim_left_by_a_host_that_died_holds_until_its_lease_ends_then_another_host_sends_the_delivery()
    {
        var (account, email) = await InArrearsAsync("smtp-lease");
        var notice = await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted);
        var now = host.Clock.GetUtcNow();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Guance.Billing.Data.BillingDbContext>();
            var deliveryId = await db.NoticeDeliveries.Where(d => d.NotificationId == notice.NotificationId).Select(d => d.Id).SingleAsync();
            var claims = scope.ServiceProvider.GetRequiredService<DeliveryClaims>();
            Assert.True(await claims.TryClaimAsync(deliveryId, "a-host-that-dies", now, now + TimeSpan.FromMinutes(5), CancellationToken.None));
            Assert.False(await claims.TryClaimAsync(deliveryId, "another-host", now, now + TimeSpan.FromMinutes(5), CancellationToken.None));
        }

        host.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await fixture.DeliverAsync();
        Assert.Empty(smtp.To(email));

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await fixture.DeliverAsync();
        Assert.Single(smtp.To(email));
        var channel = Email(await fixture.NoticeAsync(account.Id, NotificationKind.ArrearsStarted));
        Assert.Equal((1, 2), (channel.Sent, channel.Attempts));
    }
}
