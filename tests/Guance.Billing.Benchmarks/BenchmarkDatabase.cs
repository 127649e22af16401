using System.Data.Common;
using System.Diagnostics;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The database of one benchmark run and its working directory: a SQLite file in that directory (the
/// default), or with <c>--postgres</c> a fresh database on a PostgreSQL server, dropped at the end.
/// <c>--postgres start</c> starts a throwaway server with <c>tests/postgres.sh</c> (and removes it at
/// the end); any other value is the administrative connection string of a running server.
/// </summary>
public sealed class BenchmarkDatabase : IAsyncDisposable
{
    private readonly string? _administration;
    private readonly string? _startedServer;

    private BenchmarkDatabase(string directory, string? administration, string? name, string? startedServer)
    {
        Directory = directory;
        _administration = administration;
        _startedServer = startedServer;
        PostgresName = name;
        if (administration is not null)
        {
            ConnectionString = new NpgsqlConnectionStringBuilder(administration) { Database = name }.ToString();
        }
        else
        {
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, DatabaseSetup.SqliteFileName), Pooling = false, DefaultTimeout = 60 }.ToString();
        }
    }

    /// <summary>The run's working directory (the host's data directory: the SQLite file, spools...), removed at the end.</summary>
    public string Directory { get; }

    public bool IsPostgres => _administration is not null;

    public string Engine => IsPostgres ? "PostgreSQL" : "SQLite";

    /// <summary>The benchmark's own connections to the host's database.</summary>
    public string ConnectionString { get; }

    public string? PostgresName { get; }

    /// <summary>The value of <c>--postgres</c> on a command line (<c>start</c> when it ends there), or null for SQLite.</summary>
    public static string? PostgresOption(string[] args)
    {
        var index = Array.IndexOf(args, "--postgres");
        return index < 0 ? null : index + 1 < args.Length && !args[index + 1].StartsWith("--", StringComparison.Ordinal) ? args[index + 1] : "start";
    }

    public static async Task<BenchmarkDatabase> CreateAsync(string? postgres)
    {
        var directory = Path.Combine(Path.GetTempPath(), "guance-billing-bench", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        if (postgres is null)
        {
            return new BenchmarkDatabase(directory, null, null, null);
        }
        string? started = null;
        if (postgres == "start")
        {
            (postgres, started) = await StartServerAsync();
        }
        var name = "guance_bench_" + Guid.NewGuid().ToString("N");
        var database = new BenchmarkDatabase(directory, postgres, name, started);
        await database.AdministerAsync($"CREATE DATABASE \"{name}\"");
        return database;
    }

    /// <summary>The settings that point a host at this database.</summary>
    public IEnumerable<string> HostSettings() => IsPostgres
        ? [$"--Guance:DataDirectory={Directory}", "--Guance:Database:Provider=Postgres", $"--Guance:Database:ConnectionString={ConnectionString}"]
        : [$"--Guance:DataDirectory={Directory}"];

    /// <summary>The options a host on this database runs with (for benchmarks that use the domain library directly).</summary>
    public GuanceOptions Options() => new()
    {
        DataDirectory = Directory,
        Database = new DatabaseOptions { Provider = IsPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, ConnectionString = ConnectionString },
    };

    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            await AdministerAsync($"DROP DATABASE IF EXISTS \"{PostgresName}\" WITH (FORCE)");
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
        if (_startedServer is not null)
        {
            await RunScriptAsync("stop", _startedServer);
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task AdministerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_administration) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <c>tests/postgres.sh start</c>; returns the administrative connection string and the server's folder.</summary>
    private static async Task<(string ConnectionString, string Folder)> StartServerAsync()
    {
        var exports = await RunScriptAsync("start", null);
        string? Value(string name) => exports.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith($"export {name}=", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('=') + 1)..].Trim('\''))
            .FirstOrDefault();
        return (Value("GUANCE_TEST_POSTGRES") ?? throw new InvalidOperationException("tests/postgres.sh start printed no GUANCE_TEST_POSTGRES"),
            Value("GUANCE_POSTGRES_DIR")!);
    }

    private static async Task<string> RunScriptAsync(string verb, string? folder)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = BenchmarkHost.RepositoryRoot() };
        start.ArgumentList.Add("tests/postgres.sh");
        start.ArgumentList.Add(verb);
        if (folder is not null)
        {
            start.ArgumentList.Add(folder);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/postgres.sh {verb} failed with exit code {process.ExitCode}.");
        }
        return output;
    }
}
