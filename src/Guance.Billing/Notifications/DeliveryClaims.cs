using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Notifications;

/// <summary>
/// The claims on deliveries, all conditional updates decided in the database, the same statements on
/// SQLite and PostgreSQL: a claim sets <see cref="NoticeDelivery.ClaimedBy"/> and a lease only where
/// the delivery is pending, due and not leased (or its lease expired), so of two hosts racing one
/// matches the row and the other matches nothing (PostgreSQL re-checks the condition on the row
/// version the winner committed). Completing needs the claim to be still this host's.
/// </summary>
public sealed class DeliveryClaims(BillingDbContext db)
{
    /// <summary>
    /// Deliveries that may be claimed at <paramref name="now"/>, oldest due first, at most <paramref name="perRecipient"/> of
    /// one recipient (chosen in the database, so a recipient's backlog of any size takes no more), with whom each goes to.
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int count, int perRecipient, CancellationToken cancellationToken)
    {
        var at = UnixMicrosecondsConverter.ToMicroseconds(now);
        var pending = (int)DeliveryState.Pending;
        var rows = await db.Database.SqlQuery<DueRow>($"""
            SELECT id AS "Id", channel AS "Channel", recipient AS "Recipient" FROM (
                SELECT id, channel, recipient, next_attempt_at,
                       ROW_NUMBER() OVER (PARTITION BY channel, recipient ORDER BY next_attempt_at, id) AS turn
                FROM notice_deliveries
                WHERE state = {pending} AND next_attempt_at <= {at} AND (lease_until IS NULL OR lease_until <= {at})
            ) due
            WHERE turn <= {perRecipient}
            ORDER BY next_attempt_at, id
            LIMIT {count}
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new DueDelivery(r.Id, (NotificationChannel)r.Channel, r.Recipient)).ToList();
    }

    private sealed class DueRow
    {
        public required string Id { get; init; }
        public int Channel { get; init; }
        public required string Recipient { get; init; }
    }

    /// <summary>Claims one delivery for <paramref name="claimant"/> until <paramref name="leaseUntil"/>, counting the attempt; false when another host has it or it is done.</summary>
    public async Task<bool> TryClaimAsync(string deliveryId, string claimant, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        await db.NoticeDeliveries
            .Where(d => d.Id == deliveryId && d.State == DeliveryState.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil <= now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.ClaimedBy, claimant)
                .SetProperty(d => d.LeaseUntil, leaseUntil)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken) == 1;

    /// <summary>Records a sent delivery and clears the lease; false when the claim lapsed and another host took it.</summary>
    public async Task<bool> CompleteAsync(string deliveryId, string claimant, DateTimeOffset now, CancellationToken cancellationToken) =>
        await Held(deliveryId, claimant)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, DeliveryState.Sent)
                .SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.LastError, (string?)null), cancellationToken) == 1;

    /// <summary>Records a failed attempt: due again at <paramref name="retryAt"/>, or failed for good when null.</summary>
    public async Task<bool> FailAttemptAsync(string deliveryId, string claimant, DateTimeOffset now, DateTimeOffset? retryAt, string error, CancellationToken cancellationToken) =>
        retryAt is { } next
            ? await Held(deliveryId, claimant).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.LastError, error), cancellationToken) == 1
            : await Held(deliveryId, claimant).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, DeliveryState.Failed)
                .SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.LastError, error), cancellationToken) == 1;

    private IQueryable<NoticeDelivery> Held(string deliveryId, string claimant) =>
        db.NoticeDeliveries.Where(d => d.Id == deliveryId && d.ClaimedBy == claimant && d.State == DeliveryState.Pending && d.LeaseUntil != null);
}

/// <summary>A delivery that may be claimed, and its channel and recipient (an e-mail address or a webhook endpoint).</summary>
public sealed record DueDelivery(string Id, NotificationChannel Channel, string Recipient);
