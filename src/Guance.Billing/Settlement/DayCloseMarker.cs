using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

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
        VALUES (@site, @day, @closed_at, 0, 0, 0, 0, 0)
        ON CONFLICT (site_code, billing_day) DO NOTHING
        """;

    public static async Task MarkAsync(BillingDbContext db, Site site, DateOnly day, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        if (db.Database.IsNpgsql())
        {
            await using var dayLock = connection.Command("SELECT pg_advisory_xact_lock(@class, @day)", transaction.GetDbTransaction())
                .With("@class", SiteDayLock.ClassId).With("@day", SiteDayLock.ObjectId(site, day));
            await dayLock.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var insert = connection.Command(InsertSql, transaction.GetDbTransaction())
            .With("@site", site.Code).With("@day", day).With("@closed_at", UnixMicrosecondsConverter.ToMicroseconds(now));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
