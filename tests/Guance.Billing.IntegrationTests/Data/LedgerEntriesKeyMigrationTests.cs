using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Guance.Billing.IntegrationTests.Data.PostgresMigrationSteps;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// The LedgerEntriesKeyedByTransaction migration keys the ledger's entries by (transaction, position) instead of
/// (ledger account, sequence): every entry written before it is kept as it was, and on PostgreSQL the hosts of the old
/// version go on charging while the new key's index is built (a rolling upgrade).
/// </summary>
public sealed class LedgerEntriesKeyMigrationTests
{
    private const string Migration = "_LedgerEntriesKeyedByTransaction";

    [Fact]
    public async Task Every_entry_written_before_the_migration_is_kept()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await MigrateToTheOneBeforeAsync(services);
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Database.ExecuteSqlRawAsync("""
                INSERT INTO ledger_entries (ledger_account_id, sequence, transaction_id, billing_account_id, amount, balance_after, position, item_code)
                VALUES ('la_cash', 1, 'tx_1', 'ba_1', 1000, 1000, 1, NULL),
                       ('la_paid', 1, 'tx_1', 'ba_1', -1000, -1000, 0, NULL),
                       ('la_cash', 2, 'tx_2', 'ba_1', -250, 750, 0, 'logs'),
                       ('la_revenue', 1, 'tx_2', 'ba_1', 250, 250, 1, 'logs')
                """);
            Assert.True(await DatabaseSetup.MigrateAsync(services, CancellationToken.None));
        }

        await using var migrated = database.NewContext();
        var entries = (await migrated.LedgerEntries.AsNoTracking().ToListAsync())
            .Select(e => (e.TransactionId, e.Position, e.LedgerAccountId, e.Sequence, e.Amount, e.BalanceAfter, e.ItemCode))
            .OrderBy(e => e.TransactionId, StringComparer.Ordinal).ThenBy(e => e.Position).ToList();
        Assert.Equal(
        [
            ("tx_1", 0, "la_paid", 1L, -1000L, -1000L, null), ("tx_1", 1, "la_cash", 1L, 1000L, 1000L, null),
            ("tx_2", 0, "la_cash", 2L, -250L, 750L, "logs"), ("tx_2", 1, "la_revenue", 1L, 250L, 250L, "logs"),
        ], entries);
        await SchemaTests.AssertMatchesModelAsync(database);
    }

    [PostgresFact]
    public async Task Hosts_of_the_old_version_go_on_charging_while_the_new_key_is_built()
    {
        using var database = TestDatabase.Create();
        await using var services = database.Services();
        await MigrateToTheOneBeforeAsync(services);

        // A charge of an old host, in the middle of its transaction: the index build has to wait for it to end.
        await using var oldHost = new NpgsqlConnection(database.ConnectionString);
        await oldHost.OpenAsync();
        await using var open = await oldHost.BeginTransactionAsync();
        await ExecuteAsync(oldHost, InsertEntries("tx_1"));
        var migrating = DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        await WaitUntilWaitingAsync(database.ConnectionString!);

        // Another host's charge meanwhile. Behind a plain ALTER TABLE ... ADD PRIMARY KEY (an exclusive lock, queued) it
        // would wait until the first transaction ends; lock_timeout turns that wait into an error instead of a hang.
        await using (var otherHost = new NpgsqlConnection(database.ConnectionString))
        {
            await otherHost.OpenAsync();
            await ExecuteAsync(otherHost, "SET lock_timeout = '2s'");
            await ExecuteAsync(otherHost, InsertEntries("tx_2"));
        }
        Assert.False(migrating.IsCompleted);

        await open.CommitAsync();
        Assert.True(await migrating);
        await using var migrated = database.NewContext();
        Assert.Equal(4, await migrated.LedgerEntries.CountAsync());
        await SchemaTests.AssertMatchesModelAsync(database);
    }

    [PostgresFact]
    public async Task A_reader_holding_the_table_at_the_swap_does_not_queue_the_charges_behind_it()
    {
        using var database = TestDatabase.Create();
        await using var services = database.Services();
        await MigrateToTheOneBeforeAsync(services);

        // A transaction that holds the table as a reader does (VerifyLedger's, say). Taken by LOCK TABLE, which needs no
        // snapshot, so that the index build goes on past it as it would past a reader that began after the build: the swap
        // waits for it.
        await using var reader = new NpgsqlConnection(database.ConnectionString);
        await reader.OpenAsync();
        await using var reading = await reader.BeginTransactionAsync();
        await ExecuteAsync(reader, "LOCK TABLE ledger_entries IN ACCESS SHARE MODE");
        var migrating = DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        await WaitUntilWaitingAsync(database.ConnectionString!, "%PRIMARY KEY USING INDEX%");

        // A charge meanwhile goes through: behind a swap that waited without limit it would queue until the read ended.
        await using (var charging = new NpgsqlConnection(database.ConnectionString))
        {
            await charging.OpenAsync();
            await ExecuteAsync(charging, "SET lock_timeout = '5s'");
            await ExecuteAsync(charging, InsertEntries("tx_1"));
        }
        Assert.False(migrating.IsCompleted);

        await reading.CommitAsync();
        Assert.True(await migrating);
        await using var migrated = database.NewContext();
        Assert.Equal(2, await migrated.LedgerEntries.CountAsync());
        await SchemaTests.AssertMatchesModelAsync(database);
    }

    private static async Task MigrateToTheOneBeforeAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var migrations = db.Database.GetMigrations().ToList();
        await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith(Migration, StringComparison.Ordinal)) - 1]);
    }

    private static string InsertEntries(string transaction) => $"""
        INSERT INTO ledger_entries (ledger_account_id, sequence, transaction_id, billing_account_id, amount, balance_after, position, item_code)
        VALUES ('la_cash_{transaction}', 1, '{transaction}', 'ba_1', -100, -100, 0, 'logs'), ('la_revenue_{transaction}', 1, '{transaction}', 'ba_1', 100, 100, 1, 'logs')
        """;
}
