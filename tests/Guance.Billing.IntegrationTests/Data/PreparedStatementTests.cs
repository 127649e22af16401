using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static Guance.Billing.IntegrationTests.Data.PostgresMigrationSteps;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// On PostgreSQL the host's connections keep its frequent statements prepared on the server, and a statement whose
/// result another host's migration changed is a conflict to retry, not a failure.
/// </summary>
public sealed class PreparedStatementTests
{
    [PostgresFact]
    public async Task A_statement_run_again_on_a_connection_of_the_host_is_prepared_on_the_server()
    {
        using var database = TestDatabase.Create();
        await using var services = database.Services();
        await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        const string statement = "SELECT count(*) FROM workspaces WHERE site_code = @site";

        Assert.Equal(0, await PreparedAsync(connection, statement));
        for (var run = 0; run < 2; run++)
        {
            await using var command = new NpgsqlCommand(statement, connection) { Parameters = { new("site", "cn1") } };
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        Assert.Equal(1, await PreparedAsync(connection, statement));
    }

    [PostgresFact]
    public async Task A_prepared_statement_whose_result_a_migration_changed_is_a_conflict_and_runs_again()
    {
        using var database = TestDatabase.Create();
        await using var services = database.Services();
        await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await ExecuteAsync(connection, "CREATE TABLE prepared_probe (id integer PRIMARY KEY); INSERT INTO prepared_probe VALUES (1)");
        const string statement = "SELECT * FROM prepared_probe";
        for (var run = 0; run < 2; run++)
        {
            Assert.Equal(1, await ColumnsAsync(connection, statement));
        }
        Assert.Equal(1, await PreparedAsync(connection, statement));

        // Another host migrates meanwhile.
        await using (var migrating = new NpgsqlConnection(database.ConnectionString))
        {
            await migrating.OpenAsync();
            await ExecuteAsync(migrating, "ALTER TABLE prepared_probe ADD COLUMN note text");
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => ColumnsAsync(connection, statement));
        Assert.True(DbErrors.IsConcurrencyConflict(error), $"{error.SqlState} {error.Routine}: {error.MessageText}");
        Assert.Equal(2, await ColumnsAsync(connection, statement));
    }

    [PostgresFact]
    public async Task A_wallet_write_plans_each_statement_for_its_values_and_other_work_keeps_the_servers_choice()
    {
        using var database = TestDatabase.Create();
        await using var services = database.Services();
        await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var retry = new WalletWriteRetry(db,
            new WalletWriteGate(Microsoft.Extensions.Options.Options.Create(database.Options()), Microsoft.Extensions.Options.Options.Create(new WalletOptions())),
            NullLogger<WalletWriteRetry>.Instance);

        // One session throughout: the setting must end with the write's transaction, not with the connection's reset.
        await db.Database.OpenConnectionAsync();
        var inWrite = await retry.RunAsync("a probe", 1, _ => PlanCacheModeAsync(db), CancellationToken.None);

        Assert.Equal("force_custom_plan", inWrite);
        Assert.Equal("auto", await PlanCacheModeAsync(db));
    }

    [PostgresFact]
    public async Task A_wallet_write_goes_through_at_once_after_another_host_adds_a_column_to_the_wallets()
    {
        await using var host = new BillingHost();
        var connectionString = host.Database.ConnectionString!;
        // Few connections (the usage writer keeps one), so that the wallets' lock runs prepared on the one left to requests; one
        // attempt, so that a retry cannot hide a failure.
        host.Settings["Guance:Database:ConnectionString"] = connectionString + ";Maximum Pool Size=2";
        host.Settings["Guance:Wallet:WriteAttempts"] = "1";
        var account = await host.RegisterBillingAccountAsync();
        await host.RechargeAsync(account.Id, 10m);
        await host.RechargeAsync(account.Id, 10m);

        await using (var migrating = new NpgsqlConnection(connectionString))
        {
            await migrating.OpenAsync();
            await ExecuteAsync(migrating, "ALTER TABLE wallets ADD COLUMN added_by_a_newer_host text");
        }
        await host.RechargeAsync(account.Id, 10m);

        Assert.Equal(BillingCenterScenario.Yuan(30m), (await host.WalletAsync(account.Id)).Cash);
    }

    private static async Task<string> PlanCacheModeAsync(BillingDbContext db) =>
        await db.Database.SqlQueryRaw<string>("SELECT current_setting('plan_cache_mode') AS \"Value\"").SingleAsync();

    private static async Task<int> ColumnsAsync(NpgsqlConnection connection, string statement)
    {
        await using var command = new NpgsqlCommand(statement, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.FieldCount;
    }

    private static async Task<int> PreparedAsync(NpgsqlConnection connection, string statement)
    {
        await using var command = new NpgsqlCommand("SELECT count(*)::int FROM pg_prepared_statements WHERE statement LIKE '%' || @text || '%'", connection)
        {
            Parameters = { new("text", statement.Replace("@site", "$1", StringComparison.Ordinal)) },
        };
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
