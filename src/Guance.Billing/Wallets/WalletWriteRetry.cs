using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.Wallets;

/// <summary>
/// The one retry loop of wallet writes. Runs a unit of work in a transaction of its own, behind the
/// <see cref="WalletWriteGate"/>; when it loses a race to another writer (a version conflict, or a
/// unique key that another writer took first) everything is rolled back and the work runs again on
/// fresh data, after a short jittered pause, up to <c>attempts</c> times; then the caller gets
/// ABORTED <c>CONCURRENT_UPDATE</c>.
/// </summary>
public sealed class WalletWriteRetry(BillingDbContext db, WalletWriteGate gate, ILogger<WalletWriteRetry> logger)
{
    public async Task<T> RunAsync<T>(string what, int attempts, Func<IDbContextTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                // The whole write is one transaction that this loop owns: savepoints would only cost.
                db.Database.AutoSavepointsEnabled = false;
                try
                {
                    if (db.Database.IsNpgsql())
                    {
                        // The statements stay prepared, but each is planned for its own values: a write's arrays (the accounts
                        // and charges of a group) vary in size, and a generic plan made while a table was young scanned it whole
                        // until the next ANALYZE (docs/performance.md, "Prepared statements on PostgreSQL").
                        await db.Database.ExecuteSqlRawAsync(CustomPlans, cancellationToken);
                    }
                    var result = await work(transaction);
                    await transaction.CommitAsync(cancellationToken);
                    return result;
                }
                catch (Exception e) when (IsLostRace(e))
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    db.ChangeTracker.Clear();
                    logger.LogInformation("{What} lost a race (attempt {Attempt} of {Attempts}): {Error}", what, attempt, attempts, e.InnerException?.Message ?? e.Message);
                    if (attempt >= Math.Max(1, attempts))
                    {
                        throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, "The wallet changed concurrently too often; retry the request.");
                    }
                }
                catch
                {
                    db.ChangeTracker.Clear();
                    throw;
                }
                finally
                {
                    db.Database.AutoSavepointsEnabled = true;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * Random.Shared.Next(1, 5)), cancellationToken);
        }
    }

    private const string CustomPlans = "SET LOCAL plan_cache_mode = force_custom_plan";

    private static bool IsLostRace(Exception e) =>
        DbErrors.IsConcurrencyConflict(e) || (e is DbUpdateException && DbErrors.IsUniqueViolation(e));
}
