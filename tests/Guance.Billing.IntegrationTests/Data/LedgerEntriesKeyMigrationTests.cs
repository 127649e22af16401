using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// The LedgerEntriesKeyedByTransaction migration keys the ledger's entries by (transaction, position) instead of
/// (ledger account, sequence): every entry written before it is kept as it was.
/// </summary>
public sealed class LedgerEntriesKeyMigrationTests
{
    [Fact]
    public async Task Every_entry_written_before_the_migration_is_kept()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(
                migrations[migrations.FindIndex(m => m.EndsWith("_LedgerEntriesKeyedByTransaction", StringComparison.Ordinal)) - 1]);
            await db.Database.ExecuteSqlRawAsync("""
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
}
