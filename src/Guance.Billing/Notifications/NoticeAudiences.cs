using Guance.Billing.Data;
using Guance.Billing.Workspaces;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Notifications;

/// <summary>
/// The language and time zone of a notice (docs/domain.md §9): the billing account's own language if it
/// chose one (for a workspace's notice without an account, the account that pays for the workspace), else
/// that of the workspace's site (Simplified Chinese on China sites, English elsewhere) for a workspace notice, or of the site of the account's first bound workspace, else
/// <see cref="NotificationOptions.DefaultLanguage"/>. Instants are written in the site's time zone, or
/// without a site in Asia/Shanghai for Chinese and <see cref="NotificationOptions.DefaultTimeZone"/> for English.
/// </summary>
public sealed class NoticeAudiences(BillingDbContext db, IOptions<NotificationOptions> options)
{
    private const string ChinaTimeZone = "Asia/Shanghai";

    public (string Language, TimeZoneInfo Zone) Of(string? billingAccountId, string? workspaceId)
    {
        // Sync reads: the outbox adds notices inside the caller's unit of work, which may be synchronous.
        // A workspace's notice without an account (a member's ticket) takes the language of the account that pays for it.
        var accountId = !string.IsNullOrEmpty(billingAccountId) ? billingAccountId
            : workspaceId is not null ? db.WorkspaceBindings.Where(b => b.WorkspaceId == workspaceId).Select(b => b.BillingAccountId).FirstOrDefault()
            : null;
        var chosen = string.IsNullOrEmpty(accountId)
            ? null
            : db.BillingAccounts.Where(a => a.Id == accountId).Select(a => a.Language).FirstOrDefault();
        var siteCode = workspaceId is not null
            ? db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.SiteCode).FirstOrDefault()
            : string.IsNullOrEmpty(billingAccountId)
                ? null
                : (from b in db.WorkspaceBindings
                   join w in db.Workspaces on b.WorkspaceId equals w.Id
                   where b.BillingAccountId == billingAccountId
                   orderby b.BoundAt, b.WorkspaceId
                   select w.SiteCode).FirstOrDefault();
        var site = siteCode is not null && Sites.TryGet(siteCode, out var found) ? found : null;
        var language = NotificationLanguages.IsSupported(chosen) ? chosen!
            : site is not null ? NotificationLanguages.OfSite(site)
            : NotificationLanguages.Normalize(options.Value.DefaultLanguage);
        var zone = site?.TimeZone ?? TimeZoneInfo.FindSystemTimeZoneById(
            language == NotificationLanguages.SimplifiedChinese ? ChinaTimeZone : options.Value.DefaultTimeZone);
        return (language, zone);
    }
}
