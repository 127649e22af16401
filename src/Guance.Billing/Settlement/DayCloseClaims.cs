using System.Data;
using System.Data.Common;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guance.Billing.Settlement;

/// <summary>A batch of a day close's plan: the keys after <see cref="AfterKey"/> up to <see cref="LastKey"/>.</summary>
internal sealed record ClaimedBatch(int Batch, string AfterKey, string LastKey);

/// <summary>
/// The claims on the batches of a site-day's close (<see cref="DayCloseClaim"/>), all decided in the
/// database by the same statements on SQLite and PostgreSQL, like the notification delivery claims:
/// <list type="bullet">
/// <item>the plan of a phase is written once: whoever inserts its batch 0 inserts the rest in the same
/// transaction; a host that loses the insert waits (PostgreSQL: on the unique key; SQLite: on the
/// single writer) and then reads the winner's plan, so every host works from one plan;</item>
/// <item>a claim is a conditional update that matches only a batch that is not done and not leased (or
/// whose lease expired), so of two hosts racing one gets it (PostgreSQL re-checks the condition on the
/// row the winner committed);</item>
/// <item>completing marks the batch done whoever holds it now: its work is idempotent, so a batch taken
/// over from a host that was only slow is done twice at worst, never wrongly.</item>
/// </list>
/// </summary>
internal sealed class DayCloseClaims(BillingDbContext db, string siteCode, DateOnly day)
{
    private static readonly (string Name, DbType Type)[] Columns =
    [
        ("site_code", DbType.String), ("billing_day", DbType.Date), ("phase", DbType.Int32), ("batch", DbType.Int32),
        ("after_key", DbType.String), ("last_key", DbType.String), ("claims", DbType.Int32),
    ];

    private const string ClaimSql = """
        UPDATE day_close_claims SET holder = @holder, lease_until = @until, claims = claims + 1
        WHERE site_code = @site AND billing_day = @day AND phase = @phase AND batch = @batch
          AND completed_at IS NULL AND (lease_until IS NULL OR lease_until <= @now)
        """;

    private const string CompleteSql = """
        UPDATE day_close_claims SET holder = @holder, lease_until = NULL, completed_at = @now
        WHERE site_code = @site AND billing_day = @day AND phase = @phase AND batch = @batch AND completed_at IS NULL
        """;

    private const string ReleaseSql = """
        UPDATE day_close_claims SET lease_until = NULL
        WHERE site_code = @site AND billing_day = @day AND phase = @phase AND batch = @batch AND holder = @holder
          AND completed_at IS NULL
        """;

    /// <summary>
    /// Writes the plan of <paramref name="phase"/> from the keys in ascending order with their weight (a
    /// workspace 1, an account its due bills), cut at key boundaries into batches of about
    /// <paramref name="batchWeight"/>; does nothing when the phase has a plan already or nothing to do.
    /// </summary>
    public async Task PlanAsync(DayClosePhase phase, Func<Task<List<(string Key, int Weight)>>> keys, int batchWeight, CancellationToken cancellationToken)
    {
        if (await db.DayCloseClaims.AsNoTracking().AnyAsync(Of(phase), cancellationToken))
        {
            return;
        }
        var batches = Cut(await keys(), Math.Max(1, batchWeight));
        if (batches.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            object?[] Row(ClaimedBatch b) => [siteCode, day, (int)phase, b.Batch, b.AfterKey, b.LastKey, 0];
            var first = await MultiRowInsert.InsertAsync(connection, transaction.GetDbTransaction(), "day_close_claims", Columns, batches.Take(1).ToList(), Row,
                cancellationToken, suffix: "ON CONFLICT (site_code, billing_day, phase, batch) DO NOTHING RETURNING last_key");
            if (first.Count == 1)
            {
                await MultiRowInsert.InsertAsync(connection, transaction.GetDbTransaction(), "day_close_claims", Columns, batches.Skip(1).ToList(), Row, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The batches of <paramref name="phase"/> not done yet, in order, with whether each may be claimed at <paramref name="now"/>.</summary>
    public async Task<List<(ClaimedBatch Batch, bool Free)>> OpenAsync(DayClosePhase phase, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.DayCloseClaims.AsNoTracking()
            .Where(Of(phase)).Where(c => c.CompletedAt == null)
            .OrderBy(c => c.Batch)
            .Select(c => new { c.Batch, c.AfterKey, c.LastKey, c.LeaseUntil })
            .ToListAsync(cancellationToken);
        return open.Select(c => (new ClaimedBatch(c.Batch, c.AfterKey, c.LastKey), c.LeaseUntil is null || c.LeaseUntil <= now)).ToList();
    }

    /// <summary>Claims a batch for <paramref name="holder"/> until <paramref name="leaseUntil"/>; false when another host has it or it is done.</summary>
    public async Task<bool> TryClaimAsync(DayClosePhase phase, int batch, string holder, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        await ExecuteAsync(ClaimSql, phase, batch, holder, now, cancellationToken, ("@until", UnixMicrosecondsConverter.ToMicroseconds(leaseUntil))) == 1;

    /// <summary>Marks a batch done by <paramref name="holder"/>.</summary>
    public async Task CompleteAsync(DayClosePhase phase, int batch, string holder, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync(CompleteSql, phase, batch, holder, now, cancellationToken);

    /// <summary>
    /// Lets a batch go that <paramref name="holder"/> failed to finish, so that the next run need not wait
    /// for the lease; a failure here (the database gone) is left to the lease.
    /// </summary>
    public async Task TryReleaseAsync(DayClosePhase phase, int batch, string holder)
    {
        try
        {
            await ExecuteAsync(ReleaseSql, phase, batch, holder, null, CancellationToken.None);
        }
        catch (DbException)
        {
            // the lease expires instead
        }
    }

    /// <summary>Cuts keys in order into batches of about <paramref name="batchWeight"/>, never splitting a key.</summary>
    internal static List<ClaimedBatch> Cut(IReadOnlyList<(string Key, int Weight)> keys, int batchWeight)
    {
        var batches = new List<ClaimedBatch>();
        var after = "";
        var weight = 0;
        for (var i = 0; i < keys.Count; i++)
        {
            weight += keys[i].Weight;
            if (weight >= batchWeight || i == keys.Count - 1)
            {
                batches.Add(new ClaimedBatch(batches.Count, after, keys[i].Key));
                after = keys[i].Key;
                weight = 0;
            }
        }
        return batches;
    }

    private System.Linq.Expressions.Expression<Func<DayCloseClaim, bool>> Of(DayClosePhase phase) =>
        c => c.SiteCode == siteCode && c.BillingDay == day && c.Phase == phase;

    private async Task<int> ExecuteAsync(string sql, DayClosePhase phase, int batch, string holder, DateTimeOffset? now, CancellationToken cancellationToken,
        params (string Name, object Value)[] more)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.Command(sql)
                .With("@holder", holder).With("@site", siteCode).With("@day", day).With("@phase", (int)phase).With("@batch", batch);
            if (now is { } at)
            {
                command.With("@now", UnixMicrosecondsConverter.ToMicroseconds(at));
            }
            foreach (var (name, value) in more)
            {
                command.With(name, value);
            }
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
