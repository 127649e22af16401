using Npgsql;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>What the tests of a migration that runs beside serving hosts (a rolling upgrade) do on PostgreSQL.</summary>
internal static class PostgresMigrationSteps
{
    /// <summary>
    /// Until a statement like <paramref name="statement"/> (building or dropping an index, by default) waits for a lock:
    /// an open transaction of another host.
    /// </summary>
    public static async Task WaitUntilWaitingAsync(string connectionString, string statement = "%INDEX%")
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE @statement",
            connection);
        waiting.Parameters.AddWithValue("statement", statement);
        for (int attempt = 0; (long)(await waiting.ExecuteScalarAsync())! == 0; attempt++)
        {
            Assert.True(attempt < 600, "the migration never waited for the open transaction");
            await Task.Delay(100);
        }
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
