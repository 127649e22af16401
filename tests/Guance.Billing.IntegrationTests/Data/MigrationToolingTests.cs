using System.Reflection;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// The layout that <c>dotnet ef</c> works in (docs/operations.md#migrations): the hand-written
/// migrations M0001-M0006 first on both engines, then each engine's generated migrations, and one
/// model snapshot per engine that equals the model. Both engines are checked in every run: none of
/// this connects to a database.
/// </summary>
public sealed class MigrationToolingTests
{
    /// <summary>The ids that existing databases have in their history: renaming one would apply it again.</summary>
    private static readonly string[] HandWritten =
    [
        "20261125000001_Foundation",
        "20261125000002_Usage",
        "20261125000003_Wallets",
        "20261125000004_Settlement",
        "20261125000005_MonthlyBills",
        "20261125000006_CloudAndAlerts",
    ];

    public static TheoryData<DatabaseProvider> Engines => new(Enum.GetValues<DatabaseProvider>());

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_model_has_no_change_missing_from_the_engines_snapshot(DatabaseProvider engine)
    {
        using var db = DesignTimeContext(engine);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model differs from the {engine} model snapshot: a schema change needs its migration "
            + $"(`dotnet ef migrations add ... -- --engine {engine.ToString().ToLowerInvariant()}`, see docs/operations.md#migrations).");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void An_engine_applies_the_hand_written_migrations_first_then_only_its_own(DatabaseProvider engine)
    {
        using var db = DesignTimeContext(engine);
        var migrations = db.GetService<IMigrationsAssembly>();

        Assert.Equal(HandWritten, migrations.Migrations.Keys.Take(HandWritten.Length));
        Assert.All(migrations.Migrations.Values, type => Assert.Contains(type.Namespace,
            new[] { EngineMigrationsAssembly.SharedNamespace, EngineMigrationsAssembly.EngineNamespace(engine) }));
        Assert.Equal(EngineMigrationsAssembly.EngineNamespace(engine), migrations.ModelSnapshot?.GetType().Namespace);
    }

    [Fact]
    public void Every_migration_is_hand_written_for_both_engines_or_generated_for_one()
    {
        var all = EngineMigrationsAssembly.MigrationsOf(typeof(BillingDbContext).Assembly, typeof(BillingDbContext)).ToList();
        var engineFolders = Enum.GetValues<DatabaseProvider>().Select(EngineMigrationsAssembly.EngineNamespace).ToList();

        Assert.All(all, m => Assert.True(
            m.Type.Namespace == EngineMigrationsAssembly.SharedNamespace ? !IsGenerated(m.Type) : engineFolders.Contains(m.Type.Namespace!),
            $"{m.Type.FullName}: a generated migration belongs in an engine's folder (--output-dir Data/Migrations/Sqlite or Data/Migrations/Postgres), "
            + "a hand-written one for both engines in Data/Migrations; no other namespace is applied."));
    }

    [Fact]
    public void The_design_time_factory_wants_the_engine_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new BillingDbContextFactory().CreateDbContext([]));
        Assert.Contains("--engine sqlite", error.Message);
        Assert.Equal(DatabaseProvider.Postgres, BillingDbContextFactory.Engine(["--engine", "postgres"]));
    }

    private static BillingDbContext DesignTimeContext(DatabaseProvider engine) =>
        new BillingDbContextFactory().CreateDbContext(["--engine", engine.ToString().ToLowerInvariant()]);

    /// <summary>dotnet ef writes the model after a migration into its designer file; a hand-written one has none.</summary>
    private static bool IsGenerated(TypeInfo migration) =>
        migration.GetMethod("BuildTargetModel", BindingFlags.Instance | BindingFlags.NonPublic)!.DeclaringType != typeof(Migration);
}
