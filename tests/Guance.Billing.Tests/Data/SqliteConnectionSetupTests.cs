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
/// 150 ms before trying a busy statement again; checkpoints its write-ahead log after 10,000 pages, not 1,000;
/// and cuts the log file back to 64 MiB after a checkpoint, where SQLite alone keeps it at its largest.
/// </summary>
public sealed class SqliteConnectionSetupTests
{
    private const long DefaultTimeoutMs = 30_000;
    private const long CheckpointPages = 10_000;
    private const long JournalSizeLimit = 64L * 1024 * 1024;

    [Fact]
    public async Task EF_Core_and_the_usage_writer_and_readers_connections_wait_for_the_write_lock_and_checkpoint_late()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        await using var scope = bed.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        await db.Database.OpenConnectionAsync();
        Assert.Equal((DefaultTimeoutMs, CheckpointPages, JournalSizeLimit), Settings(db.Database.GetDbConnection()));

        var usage = bed.Services.GetRequiredService<UsageDatabase>();
        using (var writer = usage.OpenWriter())
        {
            Assert.Equal((DefaultTimeoutMs, CheckpointPages, JournalSizeLimit), Settings(writer));
        }
        await using (var reader = await usage.OpenReaderAsync(CancellationToken.None))
        {
            Assert.Equal((DefaultTimeoutMs, CheckpointPages, JournalSizeLimit), Settings(reader));
        }

        // What Microsoft.Data.Sqlite does alone on the same database (a new handle: a pooled one keeps the setting).
        await using var plain = new SqliteConnection(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString());
        plain.Open();
        Assert.Equal((0L, 1_000L, -1L), Settings(plain));
    }

    private static (long BusyTimeout, long CheckpointPages, long JournalSizeLimit) Settings(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        long Read(string pragma)
        {
            command.CommandText = "PRAGMA " + pragma;
            return (long)command.ExecuteScalar()!;
        }
        return (Read("busy_timeout"), Read("wal_autocheckpoint"), Read("journal_size_limit"));
    }
}
