using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// The test classes that share one pair of host processes on one PostgreSQL database (each test makes
/// its own users, workspaces and accounts). Sharing keeps the run short: starting hosts is the slow part.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TwoHosts : ICollectionFixture<TwoHostsFixture>
{
    public const string Name = "Two hosts on one PostgreSQL database";
}

/// <summary>
/// Starts the pair on first use only, so that nothing starts in the SQLite pass, where every test of
/// the collection is skipped (<see cref="PostgresFactAttribute"/>).
/// </summary>
public sealed class TwoHostsFixture : IAsyncLifetime
{
    private readonly Lazy<Task<HostCluster>> _cluster = new(() => HostCluster.StartAsync(2, new Dictionary<string, string>
    {
        // Expiry would only add wallet writes that the tests do not count.
        ["Guance:Wallet:ExpiryJobEnabled"] = "false",
    }));

    public Task<HostCluster> ClusterAsync() => _cluster.Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster.IsValueCreated && _cluster.Value.IsCompletedSuccessfully)
        {
            await _cluster.Value.Result.DisposeAsync();
        }
    }
}
