using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guance.Billing.Alerts;

/// <summary>
/// The high-consumption alert of a day close (docs/domain.md §5): every daily bill line of the site-day
/// whose amount passes the workspace's threshold for that item notifies the Owner and every
/// Administrator, once per workspace, item and day: the hit's unique key is claimed in the
/// transaction that writes the notifications, so a second run (or host) writes nothing.
/// </summary>
public sealed class ConsumptionAlertChecker(BillingDbContext db, NotificationOutbox outbox, TimeProvider clock)
{
    private const string ClaimSql = """
        INSERT INTO consumption_alert_hits (workspace_id, billing_day, item, amount, threshold, created_at)
        VALUES (@workspace, @day, @item, @amount, @threshold, @at)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>Notifies for every line of the site-day above its threshold that has not notified yet; returns how many items alerted.</summary>
    public async Task<int> CheckAsync(Site site, DateOnly day, CancellationToken cancellationToken)
    {
        var hits = await (from l in db.DailyBillLines.AsNoTracking()
                          join b in db.DailyBills.AsNoTracking() on l.DailyBillId equals b.Id
                          join a in db.ConsumptionAlerts.AsNoTracking() on new { b.WorkspaceId, l.Item } equals new { a.WorkspaceId, a.Item }
                          where b.SiteCode == site.Code && b.BillingDay == day && l.Amount > a.Threshold
                                && !db.ConsumptionAlertHits.Any(h => h.WorkspaceId == b.WorkspaceId && h.BillingDay == day && h.Item == l.Item)
                          select new { b.WorkspaceId, b.BillingAccountId, l.Item, l.Amount, a.Threshold })
            .ToListAsync(cancellationToken);
        var alerted = 0;
        foreach (var hit in hits.OrderBy(h => h.WorkspaceId, StringComparer.Ordinal).ThenBy(h => (int)h.Item))
        {
            var now = clock.GetUtcNow();
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await using var claim = db.Database.GetDbConnection().Command(ClaimSql, transaction.GetDbTransaction())
                    .With("@workspace", hit.WorkspaceId).With("@day", day).With("@item", (int)hit.Item).With("@amount", hit.Amount)
                    .With("@threshold", hit.Threshold).With("@at", UnixMicrosecondsConverter.ToMicroseconds(now));
                var claimed = await claim.ExecuteNonQueryAsync(cancellationToken);
                if (claimed == 0)
                {
                    continue; // another run notified
                }
                await NotifyAsync(hit.WorkspaceId, hit.BillingAccountId, hit.Item, day, hit.Amount, hit.Threshold, now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                alerted++;
            }
            finally
            {
                db.ChangeTracker.Clear();
                await db.Database.CloseConnectionAsync();
            }
        }
        return alerted;
    }

    private async Task NotifyAsync(string workspaceId, string? billingAccountId, BillingItem item, DateOnly day, long amount, long threshold,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => w.Name).FirstAsync(cancellationToken);
        var info = BillingItems.Get(item);
        // The Owner and the Administrators, who set the alerts (docs/domain.md §2), each address once.
        foreach (var recipient in await NoticeRecipients.OfWorkspaceAsync(db, workspaceId, accountEmail: null, cancellationToken))
        {
            var values = new NoticeValues()
                .Text("workspace", workspace).Text("workspace_id", workspaceId).Item("item", info)
                .Day("day", day).Money("amount", amount).Money("threshold", threshold);
            outbox.Add(new NotificationDraft(NotificationKind.ConsumptionAlert, billingAccountId, recipient.Email, values, workspaceId,
                $"consumption_alert:{workspaceId}:{day:yyyy-MM-dd}:{info.Code}:{recipient.UserId}", workspaceId, recipient.Primary), now);
        }
    }
}
