using System.Net;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// The host in memory, on its own data directory and database and a fake clock, reached through a
/// real <see cref="GrpcChannel"/>. One per test class (xunit class fixture); tests make their own
/// users. The engine (SQLite, or PostgreSQL when the test run provides one) is chosen by
/// <see cref="TestDatabase"/>; tests do not care which.
/// </summary>
public sealed class BillingHost : WebApplicationFactory<Program>
{
    public const string OperatorToken = "gco_integration_tests_operator_token_0001";

    /// <summary>09:30 on 2026-11-02 in Asia/Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);

    private readonly List<GrpcChannel> _channels = new();

    /// <summary>The host's clock; a test that needs another start (a day before every price list) sets its own.</summary>
    public FakeTimeProvider Clock { get; init; } = new(Start);

    /// <summary>
    /// Moves <see cref="Clock"/> forward to <paramref name="instant"/>; an instant already passed leaves it
    /// where it is (the tests of a class share a host and run in any order, so "at least" is what they mean).
    /// </summary>
    public void MoveClockTo(DateTimeOffset instant)
    {
        if (instant > Clock.GetUtcNow())
        {
            Clock.SetUtcNow(instant);
        }
    }

    private readonly Lock _databaseLock = new();
    private TestDatabase? _database;

    /// <summary>
    /// This host's own fresh database, made at first use and dropped when the host is disposed. Not made
    /// in the constructor: a failure there (a PostgreSQL server gone) would leave a half-built factory whose
    /// finalizer takes the whole test process down; here it fails the test that started the host.
    /// </summary>
    public TestDatabase Database
    {
        get
        {
            lock (_databaseLock)
            {
                return _database ??= TestDatabase.Create();
            }
        }
    }

    public string DataDirectory => Database.DataDirectory;

    /// <summary>Extra configuration for a test class, applied over the defaults.</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Replaces services for a test (for example an oracle or exporter that the test controls), applied last.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>
    /// Runs the host on its own simulated clock (Guance:Clock:Mode=Simulated) starting here, moved only by
    /// AdvanceClock, instead of <see cref="Clock"/> (which then is not the host's clock).
    /// </summary>
    public DateTimeOffset? SimulatedClockStart { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Database.Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("Guance:OperatorToken", OperatorToken);
        // No browser endpoint in memory: the console's files and gRPC-Web are not set up.
        builder.UseSetting("Guance:Console:Url", "");
        builder.UseSetting("Guance:Security:PasswordHashIterations", "1000");
        // Tests run the jobs through their RPCs; a test of the scheduler itself turns it on.
        builder.UseSetting("Guance:Jobs:Enabled", "false");
        // The tests' webhook receivers listen on loopback.
        builder.UseSetting("Guance:Notifications:WebhookLoopback", "true");
        if (SimulatedClockStart is { } start)
        {
            builder.UseSetting("Guance:Clock:Mode", "Simulated");
            builder.UseSetting("Guance:Clock:Start", start.ToString("O"));
        }
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            if (SimulatedClockStart is null)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }
            ConfigureServices?.Invoke(services);
        });
    }

    /// <summary>
    /// Clients of every service, calling with the given bearer token (none for anonymous), from
    /// <paramref name="clientAddress"/> when given (the in-memory server sees no address otherwise).
    /// </summary>
    public Api Api(string? token = null, string? clientAddress = null)
    {
        var remote = clientAddress is null ? null : IPAddress.Parse(clientAddress);
        var channel = GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = remote is null ? Server.CreateHandler() : Server.CreateHandler(context => context.Connection.RemoteIpAddress = remote),
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        lock (_channels)
        {
            _channels.Add(channel);
        }
        CallInvoker invoker = channel.CreateCallInvoker();
        if (token is not null)
        {
            invoker = invoker.Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            });
        }
        return new Api(invoker);
    }

    public Api Operator => Api(OperatorToken);

    protected override void Dispose(bool disposing)
    {
        lock (_channels)
        {
            _channels.ForEach(c => c.Dispose());
        }
        base.Dispose(disposing);
        if (disposing)
        {
            lock (_databaseLock)
            {
                _database?.Dispose();
            }
        }
    }
}
