using System.Net;
using Guance.Billing.Notifications;

namespace Guance.Billing.Tests.Notifications;

/// <summary>
/// The notice templates (docs/domain.md §9), reviewed by rendering every kind in both languages: nothing
/// left unfilled, the figures that matter in the text and (HTML-encoded) in the HTML, the way out where
/// there is one. A kind added without its two files fails here.
/// </summary>
public sealed class NotificationTemplateTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Midnight = new(2026, 12, 31, 16, 0, 0, TimeSpan.Zero);
    private const string MidnightInShanghai = "2027-01-01 00:00 (UTC+08:00)";

    /// <summary>Per kind, the values whose text the notice must show.</summary>
    private static readonly Dictionary<NotificationKind, string[]> Figures = new()
    {
        [NotificationKind.CardExpiringSoon] = ["card", "balance", "expires_at"],
        [NotificationKind.CardExpired] = ["card", "amount"],
        [NotificationKind.VoucherExpired] = ["voucher", "amount"],
        [NotificationKind.ArrearsStarted] = ["account", "arrears", "lock_at"],
        [NotificationKind.ArrearsPaid] = ["account", "paid", "arrears_since"],
        [NotificationKind.BillReady] = ["month", "amount"],
        [NotificationKind.CertificationApproved] = ["enterprise", "taxpayer_id"],
        [NotificationKind.CertificationRejected] = ["enterprise", "reason"],
        [NotificationKind.WorkspaceLockWarning] = ["workspace", "workspace_id", "lock_at"],
        [NotificationKind.WorkspaceLocked] = ["workspace", "workspace_id", "lock_at"],
        [NotificationKind.WorkspaceUnlocked] = ["workspace", "account"],
        [NotificationKind.CloudSubscriptionCancelled] = ["workspace", "cloud_account", "lock_at"],
        [NotificationKind.ConsumptionAlert] = ["workspace", "item", "day", "amount", "threshold"],
        [NotificationKind.HuaweiCardOrderConfirmed] = ["order", "card", "face_value", "expires_at"],
        [NotificationKind.HuaweiCardOrderRejected] = ["order", "reason"],
        [NotificationKind.InvoiceIssued] = ["invoice_number", "amount", "issue_day", "recipient"],
        [NotificationKind.InvoiceRejected] = ["invoice", "amount", "reason", "requested_at", "title"],
        [NotificationKind.InvoiceMailed] = ["invoice_number", "carrier", "tracking_number"],
        [NotificationKind.InvoiceReversed] = ["invoice_number", "amount", "red_letter_number"],
        [NotificationKind.TicketAccepted] = ["ticket", "accepted_at"],
        [NotificationKind.TicketReplied] = ["ticket", "replied_at", "days"],
        [NotificationKind.TicketClosed] = ["ticket", "closed_at", "days"],
        [NotificationKind.WorkspaceUpgraded] = ["workspace", "workspace_id", "account", "upgraded_at"],
        [NotificationKind.WebhookEndpointDisabled] = ["url", "failures", "disabled_at"],
    };

    /// <summary>How each value reads in a notice.</summary>
    private static readonly Dictionary<string, string> Written = new()
    {
        ["account"] = "acme-ltd", ["card"] = "pc_card1", ["balance"] = "1,234.56 CNY", ["expires_at"] = MidnightInShanghai,
        ["amount"] = "12.34 CNY", ["voucher"] = "vc_v1", ["arrears"] = "500.00 CNY", ["arrears_since"] = "2026-11-30 10:15 (UTC+08:00)", ["paid"] = "480.00 CNY",
        ["month"] = "2026-11", ["enterprise"] = "Acme <Tech> & Co", ["taxpayer_id"] = "91330100MA2XXXXX1X", ["reason"] = "The scan is blurry.",
        ["workspace"] = "Prod & Ops", ["workspace_id"] = "ws_1", ["lock_at"] = MidnightInShanghai, ["cloud"] = "AWS",
        ["cloud_account"] = "123456789012", ["item"] = "Logs", ["day"] = "2026-11-30", ["threshold"] = "10.00 CNY", ["order"] = "HW-1",
        ["face_value"] = "1,000.00 CNY", ["invoice_number"] = "INV-7", ["title"] = "Acme Ltd", ["issue_day"] = "2026-11-30",
        ["recipient"] = "Li Lei", ["invoice"] = "inv_1", ["carrier"] = "SF Express", ["tracking_number"] = "SF123",
        ["red_letter_number"] = "RL-1", ["ticket"] = "tk_1", ["replied_at"] = MidnightInShanghai, ["accepted_at"] = MidnightInShanghai, ["days"] = "7",
        ["closed_at"] = MidnightInShanghai, ["url"] = "https://hooks.example.com/x?a=1&b=2", ["failures"] = "20", ["disabled_at"] = MidnightInShanghai,
        ["requested_at"] = MidnightInShanghai, ["upgraded_at"] = MidnightInShanghai,
    };

    private static NoticeValues Values(bool flags) => new NoticeValues()
        .Text("account", "acme-ltd").Text("card", "pc_card1").Money("balance", 123456).Time("expires_at", Midnight)
        .Money("amount", 1234).Text("voucher", "vc_v1").Money("arrears", 50000).Time("arrears_since", new DateTimeOffset(2026, 11, 30, 2, 15, 0, TimeSpan.Zero)).Money("paid", 48000)
        .Text("month", "2026-11").Text("enterprise", "Acme <Tech> & Co").Text("taxpayer_id", "91330100MA2XXXXX1X").Text("reason", "The scan is blurry.")
        .Text("workspace", "Prod & Ops").Text("workspace_id", "ws_1").Time("lock_at", Midnight).Text("cloud", "AWS")
        .Text("cloud_account", "123456789012").Text("item", "Logs").Day("day", new DateOnly(2026, 11, 30)).Money("threshold", 1000).Text("order", "HW-1")
        .Money("face_value", 100000).Text("invoice_number", "INV-7").Text("title", "Acme Ltd").Day("issue_day", new DateOnly(2026, 11, 30))
        .Text("recipient", "Li Lei").Text("invoice", "inv_1").Text("carrier", "SF Express").Text("tracking_number", "SF123")
        .Text("red_letter_number", "RL-1").Text("ticket", "tk_1").Time("replied_at", Midnight).Time("accepted_at", Midnight).Number("days", 7)
        .Time("closed_at", Midnight).Text("url", "https://hooks.example.com/x?a=1&b=2").Number("failures", 20).Time("disabled_at", Midnight).Time("requested_at", Midnight).Time("upgraded_at", Midnight)
        .Text(NotificationTemplates.IdValue, "ntf_1")
        .Flag("full_reduction", flags).Flag("cloud", flags).Flag("locks", flags).Flag("paper", flags).Flag("automatically", flags).Flag("marketplace", flags);

    public static TheoryData<NotificationKind, string> EveryKindAndLanguage()
    {
        var data = new TheoryData<NotificationKind, string>();
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            foreach (var language in NotificationLanguages.All)
            {
                data.Add(kind, language);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindAndLanguage))]
    public void Every_kind_renders_in_both_languages_with_its_figures_and_nothing_left_unfilled(NotificationKind kind, string language)
    {
        Assert.True(Figures.ContainsKey(kind), $"{kind} has no figures listed in this test: list what its notice must show.");
        foreach (var flags in new[] { true, false })
        {
            var notice = NotificationTemplates.Render(kind, language, Values(flags), Shanghai);
            foreach (var part in new[] { notice.Subject, notice.Text, notice.Html })
            {
                Assert.False(string.IsNullOrWhiteSpace(part));
                Assert.DoesNotContain("{{", part, StringComparison.Ordinal);
                Assert.DoesNotContain("}}", part, StringComparison.Ordinal);
            }
            Assert.StartsWith("<!DOCTYPE html>", notice.Html, StringComparison.Ordinal);
            Assert.Contains($"<html lang=\"{language}\">", notice.Html, StringComparison.Ordinal);
            Assert.Contains(WebUtility.HtmlEncode(notice.Subject), notice.Html, StringComparison.Ordinal);
            Assert.Contains("ntf_1", notice.Html, StringComparison.Ordinal);
            if (!flags && kind == NotificationKind.CloudSubscriptionCancelled)
            {
                continue; // without a lock there is no lock date to show
            }
            // Without the flags: no invoice recipient, and no lock date where the arrears lock nothing.
            foreach (var figure in Figures[kind].Where(f => flags || (f != "recipient" && !(kind == NotificationKind.ArrearsStarted && f == "lock_at"))))
            {
                Assert.Contains(Written[figure], notice.Text, StringComparison.Ordinal);
                Assert.Contains(WebUtility.HtmlEncode(Written[figure]), notice.Html, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(EveryKindAndLanguage))]
    public void A_subject_names_no_card_or_voucher_by_its_id(NotificationKind kind, string language)
    {
        var subject = NotificationTemplates.Render(kind, language, Values(flags: true), Shanghai).Subject;
        Assert.DoesNotContain("pc_card1", subject, StringComparison.Ordinal);
        Assert.DoesNotContain("vc_v1", subject, StringComparison.Ordinal);
    }

    [Fact]
    public void The_two_languages_differ_and_chinese_is_chinese()
    {
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            var chinese = NotificationTemplates.Render(kind, NotificationLanguages.SimplifiedChinese, Values(true), Shanghai);
            var english = NotificationTemplates.Render(kind, NotificationLanguages.English, Values(true), Shanghai);
            Assert.NotEqual(english.Text, chinese.Text);
            Assert.Contains(chinese.Text, c => c is >= '\u4e00' and <= '\u9fff');
            Assert.DoesNotContain(english.Text, c => c is >= '\u4e00' and <= '\u9fff');
        }
    }

    [Fact]
    public void A_billing_item_is_named_in_the_notices_language()
    {
        var values = Values(true).Item("item", Guance.Billing.Usage.BillingItems.Get(Guance.Billing.Usage.BillingItem.Logs));
        var chinese = NotificationTemplates.Render(NotificationKind.ConsumptionAlert, NotificationLanguages.SimplifiedChinese, values, Shanghai);
        var english = NotificationTemplates.Render(NotificationKind.ConsumptionAlert, NotificationLanguages.English, values, Shanghai);
        Assert.Contains("日志类数据", chinese.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("log-class", chinese.Text, StringComparison.Ordinal);
        Assert.Contains("Logs (log-class data)", english.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_billing_item_has_a_chinese_name()
    {
        foreach (var item in Guance.Billing.Usage.BillingItems.All)
        {
            Assert.Contains(item.ChineseName, c => c is >= '\u4e00' and <= '\u9fff');
        }
    }

    [Theory]
    [InlineData(NotificationKind.ArrearsStarted, "recharge", "充值")]
    [InlineData(NotificationKind.WorkspaceLockWarning, "recharge", "充值")]
    [InlineData(NotificationKind.WorkspaceLocked, "Recharge to unlock", "充值补缴欠费即可立即解锁")]
    public void Arrears_notices_name_the_way_out(NotificationKind kind, string english, string chinese)
    {
        Assert.Contains(english, NotificationTemplates.Render(kind, NotificationLanguages.English, Values(false), Shanghai).Text, StringComparison.Ordinal);
        Assert.Contains(chinese, NotificationTemplates.Render(kind, NotificationLanguages.SimplifiedChinese, Values(false), Shanghai).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotificationLanguages.English, "are locked on " + MidnightInShanghai, "lock none of its workspaces, since it pays for none through the billing center")]
    [InlineData(NotificationLanguages.SimplifiedChinese, "将于 " + MidnightInShanghai + " 被锁定", "这笔欠费不会锁定任何工作空间")]
    public void The_arrears_notice_names_the_lock_date_when_the_arrears_start_a_countdown_and_promises_no_lock_otherwise(
        string language, string locked, string notLocked)
    {
        var countdown = NotificationTemplates.Render(NotificationKind.ArrearsStarted, language, Values(flags: true), Shanghai);
        Assert.Contains(locked, countdown.Text, StringComparison.Ordinal);
        Assert.Contains($"<strong>{MidnightInShanghai}</strong>", countdown.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(notLocked, countdown.Text, StringComparison.Ordinal);

        // Without a countdown the notice needs no lock date and names none.
        var none = NotificationTemplates.Render(NotificationKind.ArrearsStarted, language,
            new NoticeValues().Text("account", "acme-ltd").Money("arrears", 50000).Flag("locks", false).Text(NotificationTemplates.IdValue, "ntf_1"), Shanghai);
        foreach (var part in new[] { none.Text, none.Html })
        {
            Assert.Contains(notLocked, part, StringComparison.Ordinal);
            Assert.DoesNotContain(language == NotificationLanguages.English ? "locked on" : "将于", part, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Values_are_html_encoded_in_the_html_body_only()
    {
        var notice = NotificationTemplates.Render(NotificationKind.CertificationRejected, NotificationLanguages.English,
            new NoticeValues().Text("account", "a").Text("enterprise", "<script>alert(1)</script>").Text("reason", "x & y").Text(NotificationTemplates.IdValue, "ntf_2"), Shanghai);
        Assert.Contains("<script>alert(1)</script>", notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", notice.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", notice.Html, StringComparison.Ordinal);
        Assert.Contains("x &amp; y", notice.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kind_without_a_template_or_a_value_the_template_needs_fails_loudly()
    {
        var missing = Assert.Throws<InvalidOperationException>(() =>
            NotificationTemplates.Render((NotificationKind)999, NotificationLanguages.English, Values(true), Shanghai));
        Assert.Contains("no en template", missing.Message, StringComparison.Ordinal);

        var unfilled = Assert.Throws<InvalidOperationException>(() =>
            NotificationTemplates.Render(NotificationKind.ArrearsStarted, NotificationLanguages.English, new NoticeValues().Text("account", "a").Flag("locks", false), Shanghai));
        Assert.Contains("arrears", unfilled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_files_are_named_after_the_kind_in_snake_case()
    {
        Assert.Equal("huawei_card_order_confirmed.zh-CN.txt", NotificationTemplates.FileName(NotificationKind.HuaweiCardOrderConfirmed, "zh-CN"));
        Assert.Equal("webhook_endpoint_disabled.en.txt", NotificationTemplates.FileName(NotificationKind.WebhookEndpointDisabled, "en"));
    }

    [Fact]
    public void Instants_are_written_in_the_zone_given_with_its_offset()
    {
        Assert.Equal(MidnightInShanghai, NotificationTexts.Time(Midnight, Shanghai));
        Assert.Equal("2026-12-31 08:00 (UTC-08:00)", NotificationTexts.Time(Midnight, TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles")));
    }
}
