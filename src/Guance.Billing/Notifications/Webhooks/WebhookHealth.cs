using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Notifications.Webhooks;

/// <summary>
/// Gives up on an endpoint that keeps failing: after <see cref="MaxConsecutiveFailures"/> deliveries in
/// a row failed for good (each retried for a day), it is disabled and the account is told by e-mail,
/// in the same transaction. A delivery sent resets the count. Counting deliveries rather than days
/// does not disable a quiet endpoint that failed once on each of three days.
/// </summary>
public sealed class WebhookHealth(BillingDbContext db, NotificationOutbox outbox, TimeProvider clock)
{
    public const int MaxConsecutiveFailures = 20;

    public Task SentAsync(string webhookEndpointId, CancellationToken cancellationToken) =>
        // An endpoint turned off meanwhile keeps its count: it tells the account why it is off.
        db.WebhookEndpoints.Where(e => e.Id == webhookEndpointId && e.Enabled && e.ConsecutiveFailures != 0)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsecutiveFailures, 0), cancellationToken);

    public async Task GaveUpAsync(string webhookEndpointId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.WebhookEndpoints.Where(e => e.Id == webhookEndpointId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsecutiveFailures, e => e.ConsecutiveFailures + 1), cancellationToken);
        var now = clock.GetUtcNow();
        // The conditional update disables it once, however many hosts give up at the same moment.
        var disabled = await db.WebhookEndpoints
            .Where(e => e.Id == webhookEndpointId && e.Enabled && e.ConsecutiveFailures >= MaxConsecutiveFailures)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Enabled, false).SetProperty(e => e.UpdatedAt, now), cancellationToken);
        if (disabled == 1)
        {
            await WebhookDeliveryCancellation.CancelPendingAsync(db, webhookEndpointId, WebhookDeliveryCancellation.DisabledAfterFailures, now, cancellationToken);
            var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == webhookEndpointId, cancellationToken);
            var email = await db.BillingAccounts.AsNoTracking().Where(a => a.Id == endpoint.BillingAccountId).Select(a => a.Email).SingleAsync(cancellationToken);
            outbox.Add(new NotificationDraft(
                NotificationKind.WebhookEndpointDisabled, endpoint.BillingAccountId, email,
                new NoticeValues().Text("url", endpoint.Url).Number("failures", MaxConsecutiveFailures).Time("disabled_at", now),
                endpoint.Id, $"webhook-disabled:{endpoint.Id}:{Ids.New("x", clock)}"), now);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
