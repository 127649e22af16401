using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;
using Xunit.Abstractions;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>A commercial workspace of a cluster test: its id, its bound billing account and a collector token.</summary>
public sealed record ClusterWorkspace(string Id, string BillingAccountId, string CollectorToken);

/// <summary>
/// Two host processes on one PostgreSQL database for the settlement tests, with the calls they make
/// through the public API (workspaces, accounts, money, bills, the ledger). <see cref="StartAsync"/>
/// puts both on a simulated clock that starts at the same instant (<c>Guance:Clock:Start</c>), so that
/// days end when the test says and every host agrees on the time: each host's clock moves only through
/// its own AdvanceClock, and the tests move both to the same instants.
/// </summary>
public sealed class SettlementCluster(HostCluster cluster, DateTimeOffset start, ITestOutputHelper output) : IAsyncDisposable
{
    /// <summary>Where both clocks start: 2026-11-02 08:00 in China (UTC+8), a full hour, so that usage reported at once counts from the upgrade hour on.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    public HostCluster Cluster => cluster;

    public DateTimeOffset Start => start;

    /// <summary>
    /// Starts the two hosts on a fresh database, or on <paramref name="database"/> (which the caller then
    /// disposes). The scheduler is on, as in production; on a simulated clock it idles, and each
    /// AdvanceClock runs the jobs' passes at the instants they fall due instead.
    /// </summary>
    public static async Task<SettlementCluster> StartAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string>? settings = null,
        DateTimeOffset? start = null, TestDatabase? database = null)
    {
        var at = start ?? DefaultStart;
        var all = new Dictionary<string, string>
        {
            ["Guance:Clock:Mode"] = "Simulated",
            ["Guance:Clock:Start"] = at.ToString("O"),
            ["Guance:Jobs:Enabled"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        return new SettlementCluster(await HostCluster.StartAsync(2, all, database), at, output);
    }

    public Api Operator(int host) => cluster.Operator(host);

    /// <summary>Moves both hosts' clocks to <paramref name="target"/> at the same moment (each runs the jobs due on the way).</summary>
    public Task AdvanceBothAsync(DateTimeOffset target) =>
        cluster.OnEveryHostAtOnceAsync(async host =>
            (await host.Api(cluster.OperatorToken).Settlement.AdvanceClockAsync(new AdvanceClockRequest { TargetTime = Timestamp.FromDateTimeOffset(target) })).Now);

    /// <summary>Moves one host's clock to <paramref name="target"/>.</summary>
    public async Task AdvanceAsync(int host, DateTimeOffset target) =>
        await Operator(host).Settlement.AdvanceClockAsync(new AdvanceClockRequest { TargetTime = Timestamp.FromDateTimeOffset(target) });

    /// <summary>A new console user (the Owner of the workspaces); returns its token.</summary>
    public async Task<string> SignUpAsync() =>
        (await cluster.Api(0).Identity.SignUpAsync(new SignUpRequest
        {
            Email = $"settle.{Guid.NewGuid():N}@example.com", Password = Password, DisplayName = "Settlement",
        })).Token;

    /// <summary>A new billing-center account, registered on <paramref name="host"/>; returns its id and session token.</summary>
    public async Task<(string Id, string Token)> RegisterAccountAsync(int host)
    {
        var username = $"payer-{Guid.NewGuid():N}"[..24];
        var response = await cluster.Api(host).BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = Password, Email = $"{username}@example.com",
        });
        return (response.BillingAccount.BillingAccountId, response.Token);
    }

    /// <summary>
    /// A workspace on China 1 made on <paramref name="host"/>, upgraded there by its Owner with a binding
    /// code of the account (so it is commercial from the clock's time now), with a collector token.
    /// </summary>
    public async Task<ClusterWorkspace> CommercialWorkspaceAsync(int host, string owner, (string Id, string Token) account)
    {
        var api = cluster.Api(host, owner);
        var id = (await api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Settled", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        var code = (await cluster.Api(host, account.Token).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = account.Id })).BindingCode;
        await api.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = id, BindingCode = code });
        var token = (await api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = id, DisplayName = "agents" })).Token;
        return new ClusterWorkspace(id, account.Id, token);
    }

    /// <summary>One batch reported on <paramref name="host"/> by the workspace's collector.</summary>
    public Task<ReportUsageResponse> ReportAsync(int host, ClusterWorkspace workspace, string collectorId, long sequence, params UsageRecord[] records) =>
        cluster.Api(host, workspace.CollectorToken).ReportAsync(collectorId, sequence, records);

    public async Task RechargeAsync(int host, string accountId, decimal amount) =>
        await Operator(host).BillingAccounts.RechargeAsync(new RechargeRequest
        {
            BillingAccountId = accountId, Amount = Yuan(amount), RequestId = Guid.NewGuid().ToString("N"), PaymentMethod = PaymentMethod.BankTransfer,
        });

    public async Task GrantVoucherAsync(int host, string accountId, decimal amount) =>
        await Operator(host).BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = accountId, Kind = VoucherKind.Ordinary, Amount = Yuan(amount), RequestId = Guid.NewGuid().ToString("N"),
            ExpireTime = Timestamp.FromDateTimeOffset(start.AddDays(30)),
        });

    public async Task IssueCardAsync(int host, string accountId, decimal faceValue) =>
        await Operator(host).BillingAccounts.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = accountId, FaceValue = Yuan(faceValue), RequestId = Guid.NewGuid().ToString("N"),
            ExpireTime = Timestamp.FromDateTimeOffset(start.AddDays(365)),
        });

    /// <summary>Every daily bill of an account's workspaces in a month, every page, as <paramref name="host"/> lists them.</summary>
    public async Task<List<DailyBill>> BillsOfAccountAsync(int host, string accountId, int year, int month)
    {
        var bills = new List<DailyBill>();
        var request = new ListDailyBillsRequest { BillingAccountId = accountId, Year = year, Month = month, PageSize = 7 };
        do
        {
            var page = await Operator(host).Settlement.ListDailyBillsAsync(request);
            bills.AddRange(page.DailyBills);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return bills;
    }

    /// <summary>Every charge transaction of an account, every page.</summary>
    public async Task<List<WalletTransaction>> ChargesAsync(int host, string accountId)
    {
        var transactions = new List<WalletTransaction>();
        var request = new ListTransactionsRequest { BillingAccountId = accountId, PageSize = 5 };
        request.Kinds.Add(TransactionKind.Charge);
        do
        {
            var page = await Operator(host).BillingAccounts.ListTransactionsAsync(request);
            transactions.AddRange(page.Transactions);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return transactions;
    }

    public async Task<Wallet> WalletAsync(int host, string accountId) =>
        (await Operator(host).BillingAccounts.GetWalletAsync(new GetWalletRequest { BillingAccountId = accountId })).Wallet;

    /// <summary>VerifyLedger of the account on <paramref name="host"/> must be clean.</summary>
    public async Task AssertLedgerCleanAsync(int host, string accountId)
    {
        var report = await Operator(host).BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = accountId });
        Assert.True(report.Clean, string.Join("; ", report.Problems.Select(p => $"{p.Kind} {p.Subject}: {p.Description}")));
    }

    /// <summary>Stops the hosts; what they logged as errors goes to the test's output first (the cause of an INTERNAL answer).</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var line in cluster.ErrorLines())
        {
            output.WriteLine(line);
        }
        return cluster.DisposeAsync();
    }
}
