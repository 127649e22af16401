namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// Several host processes on two (or more) loopback ports and ONE database of this run's engine, with
/// one operator token and the same settings, as behind a load balancer. Meant for PostgreSQL (see
/// <see cref="PostgresFactAttribute"/>). Use it to prove that what must happen once happens once when
/// every host may do it: <see cref="OnEveryHostAtOnceAsync{T}"/> makes the same call on every host
/// at the same moment (the settlement work: CloseDay on both hosts at once, and the scheduler running
/// on each, configured through <see cref="StartAsync"/>'s settings).
/// </summary>
public sealed class HostCluster : IAsyncDisposable
{
    private readonly List<HostProcess> _hosts;
    private readonly bool _ownsDatabase;

    private HostCluster(TestDatabase database, bool ownsDatabase, string operatorToken, List<HostProcess> hosts)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        OperatorToken = operatorToken;
        _hosts = hosts;
    }

    /// <summary>The one database of every host.</summary>
    public TestDatabase Database { get; }

    /// <summary>The operator token that all hosts share (as docs/operations.md asks of a deployment).</summary>
    public string OperatorToken { get; }

    public IReadOnlyList<HostProcess> Hosts => _hosts;

    public HostProcess this[int index] => _hosts[index];

    /// <summary>
    /// Starts <paramref name="hosts"/> processes at once (so that they also race to migrate a new
    /// database) and waits until every one serves. <paramref name="settings"/> go to every host.
    /// Without <paramref name="database"/> a fresh one is made and dropped at dispose.
    /// </summary>
    public static async Task<HostCluster> StartAsync(int hosts = 2, IReadOnlyDictionary<string, string>? settings = null, TestDatabase? database = null)
    {
        var ownsDatabase = database is null;
        database ??= TestDatabase.Create();
        var operatorToken = HostProcessOptions.NewOperatorToken();
        var starting = Enumerable.Range(0, hosts).Select(_ =>
        {
            var options = new HostProcessOptions { Database = database, OperatorToken = operatorToken };
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                options.Settings[key] = value;
            }
            return HostProcess.StartAsync(options);
        }).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var start in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }
            if (ownsDatabase)
            {
                database.Dispose();
            }
            throw;
        }
        return new HostCluster(database, ownsDatabase, operatorToken, starting.Select(s => s.Result).ToList());
    }

    /// <summary>Clients of one host, calling with the token (none for anonymous).</summary>
    public Api Api(int host, string? token = null) => _hosts[host].Api(token);

    /// <summary>Clients of one host, calling as the shared operator.</summary>
    public Api Operator(int host) => _hosts[host].Api(OperatorToken);

    /// <summary>
    /// Makes <paramref name="call"/> on every host at the same moment (each waits at one barrier until all
    /// are ready), and returns each host's result, or throws the first failure after all have finished.
    /// </summary>
    public async Task<T[]> OnEveryHostAtOnceAsync<T>(Func<HostProcess, Task<T>> call)
    {
        using var barrier = new Barrier(_hosts.Count);
        var calls = _hosts.Select(host => Task.Run(async () =>
        {
            barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            return await call(host);
        })).ToList();
        return await Task.WhenAll(calls);
    }

    /// <summary>
    /// The errors that every host logged (the console logger's "fail:" and "crit:", with the lines under
    /// them), with the host's index. EF Core's own command and connection events are left out: EF logs
    /// every failed command at error level, also those the code expects and handles (the history table
    /// that a new PostgreSQL database lacks, npgsql/efcore.pg#3407; a CREATE DATABASE that another host
    /// won; a wallet write that lost a race and is retried). So are the health check's timeouts: the
    /// periodic database check gives up after 5 seconds, which a test machine under heavy load exceeds
    /// while nothing is wrong (the calls of a test are asserted on their own). What the hosts' own code
    /// fails at is logged under its own categories and stays in.
    /// </summary>
    public IEnumerable<string> ErrorLines() =>
        _hosts.SelectMany((host, index) => ErrorsOf(host.OutputLines).Select(line => $"host {index}: {line}"));

    /// <summary>Fails with the lines when any host logged an error.</summary>
    public void AssertNoErrorsLogged()
    {
        var errors = ErrorLines().ToList();
        Assert.True(errors.Count == 0, "The hosts logged errors:\n" + string.Join("\n", errors));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        if (_ownsDatabase)
        {
            Database.Dispose();
        }
    }

    /// <summary>An error line and the message line under it.</summary>
    private static IEnumerable<string> ErrorsOf(IReadOnlyList<string> lines)
    {
        for (int i = 0; i < lines.Count; i++)
        {
            if ((lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].StartsWith("crit:", StringComparison.Ordinal))
                && !lines[i].Contains(" Microsoft.EntityFrameworkCore.Database.", StringComparison.Ordinal))
            {
                var end = i + 1;
                while (end < lines.Count && lines[end].StartsWith(' '))
                {
                    end++;
                }
                var error = string.Join(" | ", lines.Skip(i).Take(Math.Min(end - i, 12)).Select(l => l.Trim()));
                if (!IsHealthCheckTimeout(error))
                {
                    yield return error;
                }
            }
        }
    }

    private static bool IsHealthCheckTimeout(string error) =>
        error.Contains("HealthChecks.DefaultHealthCheckService", StringComparison.Ordinal)
        && (error.Contains("TaskCanceledException", StringComparison.Ordinal) || error.Contains("OperationCanceledException", StringComparison.Ordinal));
}
