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
/// within milliseconds, for the connection's default timeout (30 s); without it Microsoft.Data.Sqlite sleeps
/// 150 ms before trying a busy statement again.
/// </summary>
public sealed class SqliteLockWaitTests
{
    private const long DefaultTimeoutMs = 30_000;

    [Fact]
    public async Task EF_Core_and_the_usage_writer_and_readers_connections_wait_for_the_write_lock()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        await using var scope = bed.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        await db.Database.OpenConnectionAsync();
        Assert.Equal(DefaultTimeoutMs, BusyTimeout(db.Database.GetDbConnection()));

        var usage = bed.Services.GetRequiredService<UsageDatabase>();
        using (var writer = usage.OpenWriter())
        {
            Assert.Equal(DefaultTimeoutMs, BusyTimeout(writer));
        }
        await using (var reader = await usage.OpenReaderAsync(CancellationToken.None))
        {
            Assert.Equal(DefaultTimeoutMs, BusyTimeout(reader));
        }

        // What Microsoft.Data.Sqlite does alone on the same database (a new handle: a pooled one keeps the setting).
        await using var plain = new SqliteConnection(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString());
        plain.Open();
        Assert.Equal(0L, BusyTimeout(plain));
    }

    private static long BusyTimeout(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        return (long)command.ExecuteScalar()!;
    }
}
