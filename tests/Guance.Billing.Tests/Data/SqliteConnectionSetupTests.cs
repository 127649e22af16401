using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.Tests.Wallets;
using Guance.Billing.Usage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.Data;

/// <summary>
/// Every SQLite connection of the service lets SQLite wait for another connection's write lock, retrying
/// within milliseconds, for the connection's default timeout (30 s), where Microsoft.Data.Sqlite alone sleeps
/// 150 ms before trying a busy statement again; and checkpoints its write-ahead log after 10,000 pages, not 1,000.
/// </summary>
public sealed class SqliteConnectionSetupTests
{
    private const long DefaultTimeoutMs = 30_000;
    private const long CheckpointPages = 10_000;

    [Fact]
    public async Task EF_Core_and_the_usage_writer_and_readers_connections_wait_for_the_write_lock_and_checkpoint_late()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        await using var scope = bed.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        await db.Database.OpenConnectionAsync();
        Assert.Equal((DefaultTimeoutMs, CheckpointPages), Settings(db.Database.GetDbConnection()));

        var usage = bed.Services.GetRequiredService<UsageDatabase>();
        using (var writer = usage.OpenWriter())
        {
            Assert.Equal((DefaultTimeoutMs, CheckpointPages), Settings(writer));
        }
        await using (var reader = await usage.OpenReaderAsync(CancellationToken.None))
        {
            Assert.Equal((DefaultTimeoutMs, CheckpointPages), Settings(reader));
        }

        // What Microsoft.Data.Sqlite does alone on the same database (a new handle: a pooled one keeps the setting).
        await using var plain = new SqliteConnection(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString());
        plain.Open();
        Assert.Equal((0L, 1_000L), Settings(plain));
    }

    private static (long BusyTimeout, long CheckpointPages) Settings(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        var busyTimeout = (long)command.ExecuteScalar()!;
        command.CommandText = "PRAGMA wal_autocheckpoint";
        return (busyTimeout, (long)command.ExecuteScalar()!);
    }
}
