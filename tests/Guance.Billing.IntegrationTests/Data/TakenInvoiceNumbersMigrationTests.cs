using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// The TakenInvoiceNumbers migration takes, in upper case, the numbers of the invoices issued and reversed before it.
/// Where older data repeats a number (in another case, or as a red-letter number), the first issued invoice keeps it.
/// </summary>
public sealed class TakenInvoiceNumbersMigrationTests
{
    [Fact]
    public async Task The_numbers_issued_and_reversed_before_the_migration_are_taken_once()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_TakenInvoiceNumbers", StringComparison.Ordinal)) - 1]);
            // inv_b repeats inv_a's number in another case, issued later; inv_d's red-letter number is inv_c's number; inv_e was never issued.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO invoices (id, billing_account_id, request_id, fingerprint, state, type, amount, title, taxpayer_id, bank_name,
                    bank_account_number, registered_address, registered_phone, invoice_info_id, recipient, phone, address, email,
                    requested_at, invoice_number, issued_at, document_size, red_letter_number, closed_at, updated_at)
                VALUES ('inv_a', 'ba_1', 'r1', 'f', 2, 1, 100, 't', 'x', '', '', '', '', 'ii_1', '', '', '', 'a@example.com', 0, 'e-0001', 100, 0, NULL, NULL, 0),
                       ('inv_b', 'ba_2', 'r1', 'f', 2, 1, 100, 't', 'x', '', '', '', '', 'ii_2', '', '', '', 'a@example.com', 0, 'E-0001', 200, 0, NULL, NULL, 0),
                       ('inv_c', 'ba_1', 'r2', 'f', 5, 1, 100, 't', 'x', '', '', '', '', 'ii_1', '', '', '', 'a@example.com', 0, 'E-0002', 150, 0, 'r-0001', 300, 0),
                       ('inv_d', 'ba_2', 'r2', 'f', 5, 1, 100, 't', 'x', '', '', '', '', 'ii_2', '', '', '', 'a@example.com', 0, 'E-0003', 160, 0, 'e-0002', 310, 0),
                       ('inv_e', 'ba_2', 'r3', 'f', 1, 1, 100, 't', 'x', '', '', '', '', 'ii_2', '', '', '', 'a@example.com', 0, NULL, NULL, 0, NULL, NULL, 0)
                """);
            Assert.True(await DatabaseSetup.MigrateAsync(services, CancellationToken.None));
        }

        await using var migrated = database.NewContext();
        var taken = (await migrated.TakenInvoiceNumbers.AsNoTracking().ToListAsync())
            .Select(n => (n.Number, n.InvoiceId, n.RedLetter)).OrderBy(n => n.Number, StringComparer.Ordinal).ToList();
        Assert.Equal([("E-0001", "inv_a", false), ("E-0002", "inv_c", false), ("E-0003", "inv_d", false), ("R-0001", "inv_c", true)], taken);
        await SchemaTests.AssertMatchesModelAsync(database);
    }
}
