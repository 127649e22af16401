using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// A database migrated as the host migrates at start (the hand-written M0001-M0006, then the
/// engine's generated migrations) must have exactly the schema that EnsureCreated makes from the
/// model, on the engine of the test run. The hand-written migrations have no model of their own, so
/// this test is what keeps them in step; <see cref="MigrationToolingTests"/> keeps the snapshots in step.
/// </summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task A_migrated_database_has_exactly_the_schema_of_the_model()
    {
        using var migrated = TestDatabase.Create();
        await using (var services = migrated.Services())
        {
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }

        await AssertMatchesModelAsync(migrated);
    }

    [Fact]
    public async Task Migrating_again_applies_nothing_and_keeps_the_schema()
    {
        using var migrated = TestDatabase.Create();
        for (int start = 0; start < 2; start++)
        {
            await using var services = migrated.Services();
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }

        await using var db = migrated.NewContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        await AssertMatchesModelAsync(migrated);
    }

    /// <summary>Compares the schema of a migrated database with that of a fresh one made by EnsureCreated.</summary>
    internal static async Task AssertMatchesModelAsync(TestDatabase migrated)
    {
        using var created = TestDatabase.Create();
        await using var fromModel = created.NewContext();
        Assert.True(await fromModel.Database.EnsureCreatedAsync());
        await using var fromMigrations = migrated.NewContext();

        var expected = await DatabaseSchema.ReadAsync(fromModel);
        var actual = await DatabaseSchema.ReadAsync(fromMigrations);

        // The reader must see every table, column and index of the model, or comparing would prove nothing.
        AssertDescribesModel(fromModel.Model, expected);

        var missing = expected.Except(actual);
        var unexpected = actual.Except(expected);
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            "The migrations do not produce the model's schema.\n"
            + $"In the model but not in the migrated database:\n  {string.Join("\n  ", missing)}\n"
            + $"In the migrated database but not in the model:\n  {string.Join("\n  ", unexpected)}");
    }

    private static void AssertDescribesModel(IModel model, DatabaseSchema schema)
    {
        var entities = model.GetEntityTypes().Where(e => e.GetTableName() is not null).ToList();
        Assert.NotEmpty(entities);
        foreach (var entity in entities)
        {
            var table = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            Assert.True(schema.HasTable(table), $"no table {table}");
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(store)!;
                Assert.True(schema.HasColumn(table, column), $"no column {table}.{column}");
            }
            foreach (var index in entity.GetIndexes())
            {
                Assert.True(schema.HasIndex(table, index.GetDatabaseName()!), $"no index {index.GetDatabaseName()} on {table}");
            }
        }
    }
}
