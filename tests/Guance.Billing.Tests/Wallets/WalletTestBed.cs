using Guance.Billing.BillingAccounts;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Wallets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Guance.Billing.Tests.Wallets;

/// <summary>
/// The domain services on a migrated SQLite file of their own and a fake clock, without the gRPC
/// host: for rules that need the database (ledger, expiry, binding codes).
/// </summary>
public sealed class WalletTestBed : IAsyncDisposable
{
    private readonly string _directory;

    private WalletTestBed(string directory, ServiceProvider services, FakeTimeProvider clock)
    {
        _directory = directory;
        Services = services;
        Clock = clock;
    }

    public ServiceProvider Services { get; }
    public FakeTimeProvider Clock { get; }

    public static async Task<WalletTestBed> CreateAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "guance-billing-unit", Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?>
        {
            ["Guance:DataDirectory"] = directory,
            ["Guance:Security:PasswordHashIterations"] = "1000",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 1, 30, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGuanceBilling(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new OperatorToken("gco_unit_tests_operator_token", generated: false));
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await DatabaseSetup.MigrateAsync(provider, CancellationToken.None);
        return new WalletTestBed(directory, provider, clock);
    }

    /// <summary>Runs <paramref name="work"/> with a fresh scope (a fresh DbContext), as one request would.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<IServiceProvider, Task> work) => InScopeAsync(async s =>
    {
        await work(s);
        return true;
    });

    public async Task<string> RegisterAsync(string name = "acct")
    {
        var grant = await InScopeAsync(s => s.GetRequiredService<BillingAccountManager>()
            .RegisterAsync(Caller.Anonymous, $"{name}-{Guid.NewGuid():N}"[..24], "correct horse battery", "finance@example.com", null, CancellationToken.None));
        return grant.Account.Account.Id;
    }

    public Task<RechargeOutcome> RechargeAsync(string billingAccountId, long cents) =>
        InScopeAsync(s => s.GetRequiredService<RechargeService>().RechargeAsync(Caller.Operator, billingAccountId,
            new MoneyInput(Cny.CurrencyCode, cents / 100, (int)(cents % 100) * 10_000_000), Guid.NewGuid().ToString("N"), PaymentMethod.Online, null, CancellationToken.None));

    public Task<ChargeOutcome> ChargeAsync(string billingAccountId, params (string Item, long Cents)[] lines) =>
        InScopeAsync(s => s.GetRequiredService<ChargeEngine>().ChargeAsync(
            new ChargeRequest(billingAccountId, "db_" + Guid.NewGuid().ToString("N"), lines.Select(l => new ChargeLine(l.Item, l.Cents)).ToList()), CancellationToken.None));

    public Task<PrepaidCardOutcome> IssueCardAsync(string billingAccountId, long units, TimeSpan validFor) =>
        InScopeAsync(s => s.GetRequiredService<PrepaidCardManager>().IssueAsync(Caller.Operator, billingAccountId, new MoneyInput(Cny.CurrencyCode, units, 0),
            Clock.GetUtcNow() + validFor, Guid.NewGuid().ToString("N"), null, null, CancellationToken.None));

    public Task<VoucherOutcome> GrantVoucherAsync(string billingAccountId, long units, TimeSpan validFor, VoucherKind kind = VoucherKind.Ordinary) =>
        InScopeAsync(s => s.GetRequiredService<VoucherManager>().IssueAsync(Caller.Operator, billingAccountId, kind, new MoneyInput(Cny.CurrencyCode, units, 0),
            null, Clock.GetUtcNow() + validFor, null, Guid.NewGuid().ToString("N"), CancellationToken.None));

    public Task<WalletView> WalletAsync(string billingAccountId) =>
        InScopeAsync(s => s.GetRequiredService<WalletLedger>().ViewAsync(billingAccountId, CancellationToken.None));

    public async Task AssertLedgerCleanAsync()
    {
        var report = await InScopeAsync(s => s.GetRequiredService<LedgerVerifier>().VerifyAsync((string?)null, CancellationToken.None));
        Assert.True(report.Clean, string.Join("; ", report.Problems.Select(p => $"{p.Kind} {p.Subject}: {p.Description}")));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
