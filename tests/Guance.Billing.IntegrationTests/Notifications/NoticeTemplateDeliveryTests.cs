using Google.Protobuf.WellKnownTypes;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.IntegrationTests.Webhooks;
using Guance.Billing.V1;
using MimeKit;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;
using static Guance.Billing.IntegrationTests.Settlement.SettlementLifeKit;

namespace Guance.Billing.IntegrationTests.Notifications;

/// <summary>
/// Notices rendered from their templates reach people over a real SMTP server (docs/domain.md §9): a
/// multipart/alternative message (text and HTML) in the account's or the site's language with its
/// figures; a workspace notice to the paying account, the Owner and the Administrators, each address once.
/// </summary>
public sealed class NoticeTemplateDeliveryTests(EmailHostFixture fixture) : IClassFixture<EmailHostFixture>
{
    private readonly BillingHost host = fixture.Host;
    private readonly SmtpTestServer smtp = fixture.Smtp;

    private static (TextPart Text, TextPart Html) Alternatives(MimeMessage message)
    {
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        return (Assert.Single(alternative.OfType<TextPart>(), p => p.IsPlain), Assert.Single(alternative.OfType<TextPart>(), p => p.IsHtml));
    }

    [Fact]
    public async Task An_account_notice_is_written_in_the_language_the_account_chose_with_text_and_html_parts()
    {
        var account = await host.RegisterBillingAccountAsync("notice-zh");
        await account.Client.UpdateBillingAccountAsync(new UpdateBillingAccountRequest
        {
            BillingAccountId = account.Id,
            BillingAccount = new BillingAccount { Language = "zh-CN" },
            UpdateMask = new FieldMask { Paths = { "language" } },
        });
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 12.34m)));
        await fixture.DeliverAsync();

        var message = Assert.Single(smtp.To(account.Account.Email));
        Assert.Equal($"费用中心账号 {account.Username} 已欠费", message.Subject);
        Assert.Equal("zh-CN", message.Body!.Headers[HeaderId.ContentLanguage]);
        var (text, html) = Alternatives(message);
        Assert.Contains("欠费 12.34 CNY", text.Text, StringComparison.Ordinal);
        Assert.Contains("请充值补缴欠费", text.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-CN\">", html.Text, StringComparison.Ordinal);
        Assert.Contains("<strong>12.34 CNY</strong>", html.Text, StringComparison.Ordinal);

        // Without a choice and without a workspace: the host's default, English.
        var english = await host.RegisterBillingAccountAsync("notice-en");
        await host.Operator.BillingAccounts.ChargeAsync(Charge(english.Id, ("logs", 5m)));
        await fixture.DeliverAsync();
        var englishMessage = Assert.Single(smtp.To(english.Account.Email));
        Assert.Equal($"Billing account {english.Username} is in arrears", englishMessage.Subject);
        Assert.Equal("en", englishMessage.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.Contains("5.00 CNY", Alternatives(englishMessage).Text.Text, StringComparison.Ordinal);
        Assert.Contains("recharge to pay the arrears", Alternatives(englishMessage).Text.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_notice_reaches_the_account_the_owner_and_the_administrators_each_address_once_in_the_sites_language_and_zone()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var collector = await host.CollectorAsync(workspace);
        var account = await host.UpgradeAsync(workspace);
        // The billing account was registered with the Owner's address, in other letters: one message, not two.
        var shared = workspace.Owner.Email.ToUpperInvariant();
        await account.Client.UpdateBillingAccountAsync(new UpdateBillingAccountRequest
        {
            BillingAccountId = account.Id,
            BillingAccount = new BillingAccount { Email = shared },
            UpdateMask = new FieldMask { Paths = { "email" } },
        });
        host.Clock.SetUtcNow(Local(11, 2, 10, 30));
        await collector.ReportAsync("agent-1", 1, UsageTestKit.Record(BillingItem.Logs, 2_000_000, Local(11, 2, 10, 10)));
        host.Clock.SetUtcNow(Local(11, 3, 0, 30));
        await host.CloseDayAsync("cn1", new DateOnly(2026, 11, 2)); // 3.00 CNY of arrears; the lock on Nov 17 00:30
        // The account's webhook gets the notice once, not once per address.
        await account.CreateEndpointAsync("http://127.0.0.1:9/guance", NotificationKind.WorkspaceLockWarning);
        host.Clock.SetUtcNow(Local(11, 14, 0, 30));
        Assert.Equal(1, (await host.Operator.Settlement.ProcessArrearsAsync(new ProcessArrearsRequest())).LockWarnings);
        var notices = (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.WorkspaceLockWarning },
        })).Notifications;
        Assert.Equal(2, notices.Count);
        Assert.Equal(1, notices.SelectMany(n => n.Channels).Where(c => c.Channel == NotificationChannel.Webhook).Sum(c => c.Pending + c.Sent + c.Failed));

        var before = smtp.Messages.Count;
        await fixture.DeliverAsync();

        bool IsWarning(MimeMessage m) => m.Subject?.StartsWith($"工作空间 {workspace.Workspace.Name} 将于", StringComparison.Ordinal) == true;
        var warnings = smtp.Messages.Skip(before).Where(IsWarning).ToList();
        Assert.Equal(new[] { shared, workspace.Administrator.Email }.Order(StringComparer.Ordinal),
            warnings.Select(m => Assert.Single(m.To.Mailboxes).Address).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(smtp.To(workspace.Standard.Email), IsWarning);
        foreach (var message in warnings)
        {
            Assert.Equal($"工作空间 {workspace.Workspace.Name} 将于 2026-11-17 00:30 (UTC+08:00) 被锁定", message.Subject);
            var (text, html) = Alternatives(message);
            Assert.Contains(account.Username, text.Text, StringComparison.Ordinal);
            Assert.Contains(workspace.Id, text.Text, StringComparison.Ordinal);
            Assert.Contains("请为费用中心账号充值", text.Text, StringComparison.Ordinal);
            Assert.Contains("<strong>2026-11-17 00:30 (UTC+08:00)</strong>", html.Text, StringComparison.Ordinal);
        }
    }
}
