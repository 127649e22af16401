using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Notifications;

/// <summary>
/// What to tell whom; <see cref="NotificationOutbox.Add"/> renders it from its kind's template with
/// <paramref name="Values"/> and turns it into an outbox row. <paramref name="WorkspaceId"/> names the
/// workspace of a workspace notice, whose site decides the language and time zone. A notice written
/// once per address sets <paramref name="ToWebhooks"/> on one copy only (<see cref="NoticeRecipient.Primary"/>).
/// </summary>
public sealed record NotificationDraft(
    NotificationKind Kind, string? BillingAccountId, string Recipient, NoticeValues Values, string Reference, string DedupeKey, string? WorkspaceId = null,
    bool ToWebhooks = true);

/// <summary>A notice with its deliveries, as ListNotifications shows it.</summary>
public sealed record NotificationWithDeliveries(Notification Notification, IReadOnlyList<NoticeDelivery> Deliveries);

/// <summary>
/// Writes notifications and their deliveries into the caller's unit of work, so that they commit
/// (or not) with the event that causes them (docs/domain.md §9), and lists them for operators.
/// </summary>
public sealed class NotificationOutbox(BillingDbContext db, BillingAccountAccess access, NoticeAudiences audiences, TimeProvider clock)
{
    private const string NotificationList = "notifications";

    /// <summary>The most kinds a ListNotifications request may name (there are fewer kinds than this).</summary>
    public const int MaxKinds = 32;

    /// <summary>Adds a notification to the unit of work; the caller saves it in its transaction.</summary>
    public Notification Add(NotificationDraft draft, DateTimeOffset? now = null)
    {
        var at = now ?? clock.GetUtcNow();
        var id = Ids.New("ntf", clock);
        var (language, zone) = audiences.Of(draft.BillingAccountId, draft.WorkspaceId);
        var rendered = NotificationTemplates.Render(draft.Kind, language, draft.Values.Text(NotificationTemplates.IdValue, id), zone);
        var notification = new Notification
        {
            Id = id,
            Kind = draft.Kind,
            BillingAccountId = draft.BillingAccountId,
            Recipient = draft.Recipient,
            Subject = rendered.Subject,
            Body = rendered.Text,
            HtmlBody = rendered.Html,
            Language = language,
            Reference = draft.Reference,
            DedupeKey = draft.DedupeKey,
            CreatedAt = at,
        };
        db.Notifications.Add(notification);
        db.NoticeDeliveries.Add(new NoticeDelivery
        {
            Id = Ids.New("ndl", clock),
            NotificationId = notification.Id,
            Channel = NotificationChannel.Email,
            Recipient = draft.Recipient,
            CreatedAt = at,
            NextAttemptAt = at,
        });
        if (draft.BillingAccountId is not null && draft.ToWebhooks)
        {
            AddWebhookDeliveries(notification, at);
        }
        return notification;
    }

    /// <summary>One delivery per enabled endpoint of the account that wants the notice's kind (docs/domain.md §9).</summary>
    private void AddWebhookDeliveries(Notification notification, DateTimeOffset at)
    {
        var endpoints = db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.BillingAccountId == notification.BillingAccountId && e.Enabled)
            .ToList();
        foreach (var endpoint in endpoints.Where(e => e.Wants(notification.Kind)))
        {
            db.NoticeDeliveries.Add(new NoticeDelivery
            {
                Id = Ids.New("ndl", clock),
                NotificationId = notification.Id,
                Channel = NotificationChannel.Webhook,
                Recipient = endpoint.Id,
                CreatedAt = at,
                NextAttemptAt = at,
            });
        }
    }

    /// <summary>The ListNotifications RPC (operator only): newest first, optionally of one billing account and some kinds.</summary>
    public async Task<(IReadOnlyList<NotificationWithDeliveries> Notifications, string NextPageToken)> ListAsync(
        Caller caller, string? billingAccountId, IReadOnlyCollection<NotificationKind> kinds, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        var list = $"{NotificationList}:{billingAccountId}:{string.Join(',', kinds.Order())}";
        var validator = new RequestValidator().Page(pageSize, pageToken, list, out var page);
        // Each kind is a parameter of the query: the list is bounded before its elements are looked at.
        if (validator.Size(kinds.Count, "kinds", MaxKinds))
        {
            validator.Check(kinds.All(k => Enum.IsDefined(k)), "kinds", "must list defined notification kinds only");
        }
        if (!string.IsNullOrEmpty(billingAccountId))
        {
            // An unknown account is NOT_FOUND, not an empty list.
            await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Operate, cancellationToken, validator);
        }
        validator.ThrowIfInvalid();

        var query = db.Notifications.AsNoTracking();
        if (!string.IsNullOrEmpty(billingAccountId))
        {
            query = query.Where(n => n.BillingAccountId == billingAccountId);
        }
        if (kinds.Count > 0)
        {
            query = query.Where(n => kinds.Contains(n.Kind));
        }
        var (notifications, next) = await page.FetchAsync(query, n => n.Id, cancellationToken);
        var ids = notifications.Select(n => n.Id).ToList();
        var deliveries = (await db.NoticeDeliveries.AsNoTracking().Where(d => ids.Contains(d.NotificationId)).ToListAsync(cancellationToken))
            .ToLookup(d => d.NotificationId);
        return (notifications.Select(n => new NotificationWithDeliveries(n, deliveries[n.Id].OrderBy(d => d.Channel).ThenBy(d => d.Recipient, StringComparer.Ordinal).ToList())).ToList(), next);
    }
}
