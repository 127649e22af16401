using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// The one place where tests choose their engine. By default a test database is a SQLite file in
/// its own data directory. When <see cref="PostgresVariable"/> holds the connection string of a
/// PostgreSQL server (an administrative one, as <c>tests/postgres.sh start</c> prints), each test
/// database is a fresh PostgreSQL database on it, dropped at dispose, so that test classes stay
/// independent and run in parallel on either engine.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string PostgresVariable = "GUANCE_TEST_POSTGRES";

    private bool _disposed;

    private TestDatabase(string dataDirectory, DatabaseProvider provider, string? connectionString, string? postgresName)
    {
        DataDirectory = dataDirectory;
        Provider = provider;
        ConnectionString = connectionString;
        PostgresName = postgresName;
    }

    /// <summary>The administrative connection to the PostgreSQL server of this test run, or null for SQLite.</summary>
    public static string? PostgresServer =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server ? server : null;

    public static DatabaseProvider Engine => PostgresServer is null ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres;

    /// <summary>The host's data directory (the SQLite file lives here; removed at dispose).</summary>
    public string DataDirectory { get; }

    public DatabaseProvider Provider { get; }

    /// <summary>The host's <c>Guance:Database:ConnectionString</c>; null means the default SQLite file.</summary>
    public string? ConnectionString { get; }

    /// <summary>The name of the PostgreSQL database, or null on SQLite.</summary>
    public string? PostgresName { get; }

    /// <summary>
    /// A fresh, empty database on the engine of this run. With <paramref name="create"/> false, a
    /// PostgreSQL database is only named, not created (whoever migrates first creates it); it is still
    /// dropped at dispose.
    /// </summary>
    public static TestDatabase Create(bool create = true)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "guance-billing-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        if (PostgresServer is not { } server)
        {
            return new TestDatabase(dataDirectory, DatabaseProvider.Sqlite, null, null);
        }
        var name = "guance_test_" + Guid.NewGuid().ToString("N");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        var database = new TestDatabase(dataDirectory, DatabaseProvider.Postgres, connectionString, name);
        if (create)
        {
            Administer($"CREATE DATABASE \"{name}\"");
        }
        return database;
    }

    /// <summary>The options a host on this database runs with.</summary>
    public GuanceOptions Options() => new()
    {
        DataDirectory = DataDirectory,
        Database = new DatabaseOptions { Provider = Provider, ConnectionString = ConnectionString },
    };

    /// <summary>The same as configuration settings, for a host started in memory or as a process.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Guance:DataDirectory"] = DataDirectory,
        ["Guance:Database:Provider"] = Provider.ToString(),
        ["Guance:Database:ConnectionString"] = ConnectionString,
    };

    /// <summary>The services a host migrates with at start (<see cref="DatabaseSetup.MigrateAsync"/>), and nothing else.</summary>
    public ServiceProvider Services() =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(Options()))
            .AddBillingDatabase()
            .BuildServiceProvider();

    /// <summary>A context on this database, configured as the host configures its own.</summary>
    public BillingDbContext NewContext()
    {
        var builder = new DbContextOptionsBuilder<BillingDbContext>();
        DatabaseSetup.Configure(builder, Options());
        return new BillingDbContext(builder.Options);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        // Close the idle pooled connections of this database only: other hosts run in parallel.
        var hostConnectionString = DatabaseSetup.ConnectionString(Options());
        if (PostgresName is not null)
        {
            using (var connection = new NpgsqlConnection(hostConnectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }
            // FORCE ends whatever session is still connected to it.
            Administer($"DROP DATABASE IF EXISTS \"{PostgresName}\" WITH (FORCE)");
        }
        else
        {
            using var connection = new SqliteConnection(hostConnectionString);
            SqliteConnection.ClearPool(connection);
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Administer(string sql)
    {
        // No pooling: CREATE and DROP DATABASE run outside transactions, and the server keeps no idle session of ours.
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer) { Pooling = false };
        using var connection = new NpgsqlConnection(builder.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
