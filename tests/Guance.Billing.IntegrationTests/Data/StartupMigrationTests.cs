using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// At start the host migrates only a database that lacks migrations (<see cref="DatabaseSetup.MigrateAsync"/>):
/// EF's <c>Migrate</c> checks the model against the snapshot before anything else, which builds the
/// design-time model and cost 0.6 s of CPU at every start (docs/performance.md, Start-up). Seen
/// through EF's own log: <c>Migrate</c> announces the connection it migrates with.
/// </summary>
public sealed class StartupMigrationTests
{
    [Fact]
    public async Task A_database_with_every_migration_applied_is_not_migrated_again()
    {
        using var database = TestDatabase.Create();
        var first = new EventLog();
        await using (var services = Services(database, first))
        {
            Assert.True(await DatabaseSetup.MigrateAsync(services, CancellationToken.None));
        }
        Assert.Contains(RelationalEventId.MigrateUsingConnection.Id, first.Events);

        var restart = new EventLog();
        var phases = new List<string>();
        bool migrated;
        await using (var services = Services(database, restart))
        {
            migrated = await DatabaseSetup.MigrateAsync(services, CancellationToken.None, phases.Add);
        }

        Assert.DoesNotContain(RelationalEventId.MigrateUsingConnection.Id, restart.Events);
        Assert.False(migrated);
        Assert.Equal(["EF Core model", "migrations checked, none pending"], phases);
        await using var db = database.NewContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task A_database_missing_migrations_gets_them_at_start()
    {
        using var database = TestDatabase.Create();
        await using (var services = Services(database, new EventLog()))
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BillingDbContext>().GetService<IMigrator>().MigrateAsync("20261125000006_CloudAndAlerts");
        }

        var restart = new EventLog();
        var phases = new List<string>();
        await using (var services = Services(database, restart))
        {
            Assert.True(await DatabaseSetup.MigrateAsync(services, CancellationToken.None, phases.Add));
        }

        Assert.Contains(RelationalEventId.MigrateUsingConnection.Id, restart.Events);
        Assert.Equal(["EF Core model", "migrations applied"], phases);
        await using var db = database.NewContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        await SchemaTests.AssertMatchesModelAsync(database);
    }

    private static ServiceProvider Services(TestDatabase database, EventLog log) =>
        new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(log))
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(database.Options()))
            .AddBillingDatabase()
            .BuildServiceProvider();

    /// <summary>The ids of the events logged, at any level.</summary>
    private sealed class EventLog : ILoggerProvider, ILogger
    {
        private readonly List<int> _events = [];

        public IReadOnlyList<int> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_events)
            {
                _events.Add(eventId.Id);
            }
        }

        public void Dispose()
        {
        }
    }
}
