using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Guance.Billing.Common;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Sites = Guance.Billing.Workspaces.Sites;
using Microsoft.EntityFrameworkCore;
using Site = Guance.Billing.Workspaces.Site;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// CloseDay is safe to resume after a crash: the host runs as a process and is killed with SIGKILL
/// while it closes a day of many workspaces, once while it writes bills and once while it charges
/// them; after each restart CloseDay runs again. In the end every workspace has exactly one bill, each
/// charged exactly once (one charge per bill in each account's ledger), every wallet holds exactly
/// what it was given less its bills, and VerifyLedger is clean.
/// </summary>
public sealed class DayCloseCrashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Workspaces = 3_000;
    private const int Accounts = 30;

    [Fact]
    public async Task A_day_close_killed_while_rating_and_while_charging_bills_every_workspace_exactly_once()
    {
        var site = Sites.Get("cn1");
        // The last day whose late grace (30 minutes) is over: CloseDay takes no day before that.
        var day = site.BillingDayOf(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(30)).AddDays(-1);
        await using var host = new KillableHost();
        await host.StartAsync();

        var (template, accounts) = await CommercialTemplateAsync(host.Process);
        await using (var db = host.Database.NewContext())
        {
            await WorkspaceCopies.CopyAsync(db, template, accounts.Select(a => a.BillingAccountId).ToList(), Workspaces - 1, site.StartOf(day).AddDays(-2));
            await WorkspaceCopies.UsageAsync(db, site, day);
        }

        // The polls below must be quick from the first: the model is built and the queries compiled now.
        await using (var warm = host.Database.NewContext())
        {
            Assert.Equal(0, await warm.DailyBills.CountAsync(b => b.BillingDay == day && b.SiteCode == "cn1"));
            Assert.Equal(0, await warm.DailyBills.CountAsync(b => b.BillingDay == day && b.SiteCode == "cn1" && b.Status == Guance.Billing.Settlement.DailyBillStatus.Charged));
        }

        // 1. Killed while it writes bills.
        var close = CloseDayAsync(host, day);
        var billsWritten = await host.WaitUntilAsync(db => db.DailyBills.CountAsync(b => b.BillingDay == day && b.SiteCode == "cn1"), n => n > 0 && n < Workspaces, close);
        await host.KillAsync();
        Assert.NotNull(await Record.ExceptionAsync(() => close));
        output.WriteLine($"killed with {billsWritten} of {Workspaces} bills written");
        await host.StartAsync();

        // 2. Killed while it charges them.
        close = CloseDayAsync(host, day);
        var charged = await host.WaitUntilAsync(db => db.DailyBills.CountAsync(b => b.BillingDay == day && b.SiteCode == "cn1" && b.Status == Guance.Billing.Settlement.DailyBillStatus.Charged),
            n => n > 0 && n < Workspaces, close);
        await host.KillAsync();
        Assert.NotNull(await Record.ExceptionAsync(() => close));
        output.WriteLine($"killed with {charged} of {Workspaces} bills charged");
        await host.StartAsync();

        var completed = await CloseDayAsync(host, day);
        Assert.Equal(DayCloseState.Completed, completed.State);
        Assert.Equal(Workspaces, completed.Bills);
        Assert.Equal(Workspaces, completed.BillsCharged);
        // One bill (CN list, default retention):
        //   logs        SUM 1,234,567 / 10^6  = 1.234567 -> 1.23 x 1.5 = 1.845 -> 1.85
        //   time series MAX 2,500     / 1,000 = 2.50          x 0.7 = 1.75       bill 3.60
        // 3,000 workspaces x 3.60 = 10,800.00.
        Assert.Equal(Workspaces * 3_60L, completed.Total.Cents());

        await using (var db = host.Database.NewContext())
        {
            var bills = await db.DailyBills.AsNoTracking().Where(b => b.BillingDay == day && b.SiteCode == "cn1").ToListAsync();
            Assert.Equal(Workspaces, bills.Count);
            Assert.Equal(Workspaces, bills.Select(b => b.WorkspaceId).Distinct().Count());
            Assert.All(bills, b => Assert.Equal(3_60, b.Total));
            Assert.All(bills, b => Assert.Equal(Guance.Billing.Settlement.DailyBillStatus.Charged, b.Status));
            var lines = await db.DailyBillLines.AsNoTracking().CountAsync(l => bills.Select(b => b.Id).Contains(l.DailyBillId));
            Assert.Equal(2 * Workspaces, lines);
        }

        var byOperator = host.Process.Operator;
        foreach (var (account, index) in accounts.Select((a, i) => (a, i)))
        {
            var bound = Workspaces / Accounts;
            var charges = new List<WalletTransaction>();
            var request = new ListTransactionsRequest { BillingAccountId = account.BillingAccountId, Kinds = { TransactionKind.Charge }, PageSize = 1000 };
            do
            {
                var page = await byOperator.BillingAccounts.ListTransactionsAsync(request);
                charges.AddRange(page.Transactions);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);
            Assert.Equal(bound, charges.Count);
            Assert.Equal(bound, charges.Select(c => c.Reference).Distinct().Count());
            // 1,000.00 of cash less 100 bills of 3.60 = 640.00.
            var wallet = (await byOperator.BillingAccounts.GetWalletAsync(new GetWalletRequest { BillingAccountId = account.BillingAccountId })).Wallet;
            Assert.Equal(1_000_00L - bound * 3_60L, wallet.Cash.Cents());
            Assert.Equal(0, wallet.Arrears.Cents());
        }
        var report = await byOperator.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest());
        Assert.True(report.Clean, string.Join("; ", report.Problems.Select(p => $"{p.Kind} {p.Subject}: {p.Description}")));
    }

    private static async Task<DayClose> CloseDayAsync(KillableHost host, DateOnly day) =>
        (await host.Process.Operator.Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = SettlementScenario.Day(day) })).DayClose;

    /// <summary>A commercial workspace made through gRPC, bound to the first of <see cref="Accounts"/> billing accounts with 1,000 CNY of cash each.</summary>
    private static async Task<(string Workspace, List<BillingAccount> Accounts)> CommercialTemplateAsync(HostProcess host)
    {
        var anonymous = host.Api();
        var byOperator = host.Operator;
        var signUp = await anonymous.Identity.SignUpAsync(new SignUpRequest { Email = $"crash.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "Crash" });
        var accounts = new List<(BillingAccount Account, string Token)>();
        for (var i = 0; i < Accounts; i++)
        {
            var registered = await anonymous.BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
            {
                Username = $"crash-{i}-{Guid.NewGuid():N}"[..24], Password = BillingCenterScenario.Password, Email = $"crash{i}@example.com",
            });
            await byOperator.BillingAccounts.RechargeAsync(new RechargeRequest
            {
                BillingAccountId = registered.BillingAccount.BillingAccountId, Amount = BillingCenterScenario.Yuan(1_000m), RequestId = Guid.NewGuid().ToString("N"),
                PaymentMethod = PaymentMethod.BankTransfer,
            });
            accounts.Add((registered.BillingAccount, registered.Token));
        }
        var owner = host.Api(signUp.Token);
        var workspace = (await owner.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "crash 0", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        var code = (await host.Api(accounts[0].Token).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = accounts[0].Account.BillingAccountId })).BindingCode;
        await owner.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspace, BindingCode = code });
        return (workspace, accounts.Select(a => a.Account).ToList());
    }
}

/// <summary>The host as a process on a fixed port, one test database and one operator token, killed and started again.</summary>
internal sealed class KillableHost : IAsyncDisposable
{
    private readonly string _operatorToken = HostProcessOptions.NewOperatorToken();
    private readonly int _port;

    public KillableHost()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
    }

    public TestDatabase Database { get; } = TestDatabase.Create();

    public HostProcess Process { get; private set; } = null!;

    public async Task StartAsync()
    {
        var options = new HostProcessOptions { Database = Database, Port = _port, OperatorToken = _operatorToken };
        options.Settings["Guance:Jobs:Enabled"] = "false";
        // Small batches: many commits for the kills to fall between.
        options.Settings["Guance:Settlement:RatingBatchSize"] = "20";
        options.Settings["Guance:Settlement:ChargeBatchSize"] = "20";
        // The killed host's claimed batch is taken over once its lease expires (real clock here).
        options.Settings["Guance:Settlement:ClaimLease"] = "00:00:05";
        Process = await HostProcess.StartAsync(options);
    }

    /// <summary>SIGKILL: no shutdown; whatever the host had not committed is gone.</summary>
    public async Task KillAsync()
    {
        await Process.KillAsync();
        await Process.DisposeAsync();
    }

    /// <summary>Polls the database until <paramref name="done"/> holds for the count; fails if the close ends first.</summary>
    public async Task<int> WaitUntilAsync(Func<Guance.Billing.Data.BillingDbContext, Task<int>> count, Func<int, bool> done, Task<DayClose> close)
    {
        while (true)
        {
            await using (var db = Database.NewContext())
            {
                var n = await count(db);
                if (done(n))
                {
                    return n;
                }
            }
            if (close.IsCompleted)
            {
                var ended = await Record.ExceptionAsync(() => close);
                Assert.Fail($"The close ended before it could be killed mid-way: {ended?.Message ?? close.Result.ToString()}");
            }
            await Task.Delay(2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
        Database.Dispose();
    }
}

/// <summary>
/// Many commercial workspaces at once, for tests that need thousands: copies of one workspace made
/// through gRPC (its workspace, owner membership, binding, settlement and retention rows), set-based
/// in the database, bound in turn to the given billing accounts; and usage points for all of them.
/// </summary>
internal static class WorkspaceCopies
{
    public static async Task CopyAsync(Guance.Billing.Data.BillingDbContext db, string template, IReadOnlyList<string> accounts, int copies, DateTimeOffset upgradedAt)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var at = Guance.Billing.Data.UnixMicrosecondsConverter.ToMicroseconds(upgradedAt);
        await ExecuteAsync(connection, null, "UPDATE workspaces SET upgraded_at = @a WHERE id = @t", ("@a", at), ("@t", template));
        await ExecuteAsync(connection, null, "UPDATE retention_changes SET effective_from = @a WHERE workspace_id = @t", ("@a", at), ("@t", template));
        await ExecuteAsync(connection, null, "CREATE TEMPORARY TABLE copies (n INTEGER NOT NULL, id VARCHAR(64) NOT NULL, account VARCHAR(64) NOT NULL)");
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var chunk in Enumerable.Range(1, copies).Chunk(500))
        {
            var parameters = new List<(string, object)>();
            var rows = chunk.Select((n, i) =>
            {
                parameters.Add(($"@i{i}", Ids.New("ws", TimeProvider.System)));
                parameters.Add(($"@a{i}", accounts[n % accounts.Count]));
                return $"({n}, @i{i}, @a{i})";
            }).ToList();
            await ExecuteAsync(connection, transaction, "INSERT INTO copies (n, id, account) VALUES " + string.Join(", ", rows), [.. parameters]);
        }
        await CopyRowsAsync(connection, transaction, "workspaces", "id", template, new() { ["id"] = "c.id", ["name"] = "'copy ' || CAST(c.n AS VARCHAR(16))" });
        await CopyRowsAsync(connection, transaction, "workspace_members", "workspace_id", template, new() { ["workspace_id"] = "c.id" });
        await CopyRowsAsync(connection, transaction, "workspace_bindings", "workspace_id", template, new() { ["workspace_id"] = "c.id", ["billing_account_id"] = "c.account" });
        await CopyRowsAsync(connection, transaction, "workspace_settlements", "workspace_id", template, new() { ["workspace_id"] = "c.id" });
        await CopyRowsAsync(connection, transaction, "retention_changes", "workspace_id", template, new() { ["workspace_id"] = "c.id" }, skip: "id");
        await transaction.CommitAsync();
        await ExecuteAsync(connection, null, "DROP TABLE copies");
        await db.Database.CloseConnectionAsync();
    }

    /// <summary>Every commercial workspace of the site: logs 1,000,000 + 234,567 in two hours, time series 2,000 then 2,500 (points and their rollups).</summary>
    public static async Task UsageAsync(Guance.Billing.Data.BillingDbContext db, Site site, DateOnly day)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var start = Guance.Billing.Data.UnixMicrosecondsConverter.ToMicroseconds(site.StartOf(day));
        var hour = 3_600_000_000L;
        foreach (var (item, offset, quantity) in new[] { (2, 3, 1_000_000L), (2, 9, 234_567L), (1, 3, 2_000L), (1, 9, 2_500L) })
        {
            await ExecuteAsync(connection, null, """
                INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
                SELECT id, @i, @h, 2, 'seed', @d, @q, @h FROM workspaces WHERE site_code = @s AND plan = 2
                """, ("@i", item), ("@h", start + offset * hour), ("@d", day), ("@q", quantity), ("@s", site.Code));
        }
        // The rollups of the day rebuilt from its points, as the usage writer keeps them (the close rates from them;
        // stock items 1, 3, 4, 5, 12 take the largest hour).
        await ExecuteAsync(connection, null, "DELETE FROM usage_hourly_rollups WHERE billing_day = @d", ("@d", day));
        await ExecuteAsync(connection, null, "DELETE FROM usage_daily_rollups WHERE billing_day = @d", ("@d", day));
        await ExecuteAsync(connection, null, """
            INSERT INTO usage_hourly_rollups (workspace_id, item, plan, billing_day, hour_start, quantity)
            SELECT workspace_id, item, plan, billing_day, hour_start, SUM(quantity) FROM usage_points WHERE billing_day = @d
            GROUP BY workspace_id, item, plan, billing_day, hour_start
            """, ("@d", day));
        await ExecuteAsync(connection, null, """
            INSERT INTO usage_daily_rollups (workspace_id, plan, item, billing_day, quantity)
            SELECT workspace_id, plan, item, billing_day, CASE WHEN item IN (1, 3, 4, 5, 12) THEN MAX(quantity) ELSE SUM(quantity) END
            FROM usage_hourly_rollups WHERE billing_day = @d
            GROUP BY workspace_id, plan, item, billing_day
            """, ("@d", day));
        await db.Database.CloseConnectionAsync();
    }

    private static async Task CopyRowsAsync(DbConnection connection, DbTransaction transaction, string table, string key, string template,
        Dictionary<string, string> replaced, string? skip = null)
    {
        await using var columnsCommand = connection.CreateCommand();
        columnsCommand.Transaction = transaction;
        columnsCommand.CommandText = connection is Npgsql.NpgsqlConnection
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position"
            : "SELECT name FROM pragma_table_info(@t)";
        Add(columnsCommand, "@t", table);
        var columns = new List<string>();
        await using (var reader = await columnsCommand.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }
        columns.Remove(skip ?? "");
        var values = columns.Select(c => replaced.TryGetValue(c, out var expression) ? expression : "t." + c);
        await ExecuteAsync(connection, transaction,
            $"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM {table} t CROSS JOIN copies c WHERE t.{key} = @t",
            ("@t", template));
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
