using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>
/// Closes a site-day to usage by inserting its <see cref="DayClose"/> row, race-free against a usage
/// batch committing at the same moment. The usage writer reads that row inside its own transaction:
/// on SQLite the database's single writer orders the two; on PostgreSQL the writer holds the shared
/// <see cref="SiteDayLock"/> of every site-day it writes until it commits, and the insert here takes
/// the exclusive one, so a batch either committed before the row (its points are read by the rating
/// that follows) or sees the row and is refused. Inserting twice changes nothing.
/// </summary>
internal static class DayCloseMarker
{
    private const string InsertSql = """
        INSERT INTO day_closes (site_code, billing_day, closed_at, bills, bills_charged, bills_awaiting_cloud, bills_unbound, total)
        VALUES ({0}, {1}, {2}, 0, 0, 0, 0, 0)
        ON CONFLICT (site_code, billing_day) DO NOTHING
        """;

    public static async Task MarkAsync(BillingDbContext db, Site site, DateOnly day, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0}, {1})", [SiteDayLock.ClassId, SiteDayLock.ObjectId(site, day)], cancellationToken);
        }
        await db.Database.ExecuteSqlRawAsync(InsertSql, [site.Code, day, UnixMicrosecondsConverter.ToMicroseconds(now)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
