using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Jobs;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.MonthlyBills;

/// <summary>
/// November 2026 on cn1 (UTC+8) through the API: usage every day from the 3rd, CloseDay after each day on
/// the fake clock, then the monthly bills: per workspace and item equal to the daily bills' sums to the
/// cent, paid as the daily bills were, generated once however often asked, and by the job only from
/// 00:00 of December 3rd, site time.
/// </summary>
public sealed class MonthlyBillMonthTests(BillingHost host) : IClassFixture<BillingHost>
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task A_month_of_daily_bills_makes_a_monthly_bill_equal_to_their_sums()
    {
        // Account A pays for two workspaces (joint billing); account B for a third.
        var logsWorkspace = await host.CreateWorkspaceAsync();
        var metricsWorkspace = await host.CreateWorkspaceAsync();
        var otherWorkspace = await host.CreateWorkspaceAsync();
        var a = await host.UpgradeAsync(logsWorkspace);
        await host.UpgradeAsync(metricsWorkspace, a);
        var b = await host.UpgradeAsync(otherWorkspace);
        await host.GrantVoucherAsync(a.Id, 50m, validFor: TimeSpan.FromDays(60));
        await host.IssueCardAsync(a.Id, 100m);
        await host.RechargeAsync(a.Id, 300m);
        await host.RechargeAsync(b.Id, 100m);
        var logsAgent = await Agent.CreateAsync(host, logsWorkspace);
        var metricsAgent = await Agent.CreateAsync(host, metricsWorkspace);
        var otherAgent = await Agent.CreateAsync(host, otherWorkspace);

        // The upgrade was on Nov 2 (09:30 site time); usage from Nov 3 to Nov 30; every day closed after it ends.
        var upgradeDay = new DateOnly(2026, 11, 2);
        for (var day = upgradeDay; day.Month == 11; day = day.AddDays(1))
        {
            if (day > upgradeDay)
            {
                MoveTo(new DateTimeOffset(day.Year, day.Month, day.Day, 12, 0, 0, China));
                var now = host.Clock.GetUtcNow();
                await logsAgent.ReportAsync(Record(BillingItem.Logs, 2_000_000, now));
                await metricsAgent.ReportAsync(Record(BillingItem.TimeSeries, 6_000, now), Record(BillingItem.Triggers, 25_000, now));
                await otherAgent.ReportAsync(Record(BillingItem.Logs, 1_000_000, now));
            }
            MoveTo(new DateTimeOffset(day.Year, day.Month, day.Day, 0, 45, 0, China).AddDays(1));
            await host.CloseDayAsync("cn1", day);
        }

        // Not before the 3rd of December (site time): the job leaves November alone on Dec 2, 23:59.
        MoveTo(new DateTimeOffset(2026, 12, 2, 23, 59, 0, China));
        await RunJobAsync();
        var signedIn = await SignInAsync(a);
        Assert.Empty((await signedIn.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest { BillingAccountId = a.Id })).MonthlyBills);
        MoveTo(new DateTimeOffset(2026, 12, 3, 0, 0, 0, China));
        await RunJobAsync();

        var bill = await signedIn.MonthlyBillAsync(a.Id, 2026, 11);
        var dailyBills = (await host.BillsAsync(logsWorkspace.Id, 2026, 11)).Concat(await host.BillsAsync(metricsWorkspace.Id, 2026, 11)).ToList();
        var listed = await host.Operator.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { BillingAccountId = a.Id, Year = 2026, Month = 11, PageSize = 1 });

        // Hand calculation (CN prices, default retentions), Nov 3..30 = 28 days:
        //   logs 2,000,000 / 1,000,000 = 2.00 units × 1.5 (14-day retention) = 3.00 a day → 28 × 3.00 = 84.00
        //   time series 6,000 / 1,000 = 6.00 units × 0.7 (7-day retention) = 4.20 a day → 28 × 4.20 = 117.60
        //   triggers 25,000 / 10,000 = 2.50 units × 1 = 2.50 a day → 28 × 2.50 = 70.00
        //   account A: 84.00 + 117.60 + 70.00 = 271.60, over 2 workspaces × 29 daily bills (Nov 2 is a zero bill).
        Assert.Equal(27_160, bill.Total.Cents());
        Assert.Equal(listed.MonthTotal.Cents(), bill.Total.Cents());
        // The month total is the month's whatever the page: a later page, and one page that holds the whole month.
        var second = await host.Operator.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { BillingAccountId = a.Id, Year = 2026, Month = 11, PageSize = 1, PageToken = listed.NextPageToken });
        var whole = await host.Operator.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { BillingAccountId = a.Id, Year = 2026, Month = 11, PageSize = 100 });
        Assert.Equal(bill.Total.Cents(), second.MonthTotal.Cents());
        Assert.Equal((58, bill.Total.Cents()), (whole.DailyBills.Count, whole.MonthTotal.Cents()));
        Assert.Equal(dailyBills.Sum(d => d.Total.Cents()), bill.Total.Cents());
        Assert.Equal(58, bill.DailyBills);
        Assert.Equal(2, bill.WorkspaceCount);
        // Paid in the deduction order: the 50.00 voucher, then the 100.00 card, then cash: 271.60 − 150.00 = 121.60; no arrears.
        Assert.Equal(5_000, bill.Payments.PaidByVouchers.Cents());
        Assert.Equal(10_000, bill.Payments.PaidByPrepaidCards.Cents());
        Assert.Equal(12_160, bill.Payments.PaidByCash.Cents());
        Assert.Equal(0, bill.Payments.Arrears.Cents());
        Assert.Equal(0, bill.Payments.CloudAmount.Cents());

        var logs = bill.Workspaces.Single(w => w.WorkspaceId == logsWorkspace.Id);
        var metrics = bill.Workspaces.Single(w => w.WorkspaceId == metricsWorkspace.Id);
        // Each workspace named as it is called now, beside its id.
        Assert.Equal((logsWorkspace.Workspace.Name, metricsWorkspace.Workspace.Name), (logs.WorkspaceName, metrics.WorkspaceName));
        Assert.NotEmpty(logs.WorkspaceName);
        Assert.Equal(8_400, logs.Total.Cents());
        Assert.Equal(18_760, metrics.Total.Cents()); // 117.60 + 70.00
        Assert.Equal([(BillingItem.Logs, 8_400L, 28)], logs.Items.Select(i => (i.Item, i.Amount.Cents(), i.Days)));
        Assert.Equal([(BillingItem.TimeSeries, 11_760L, 28), (BillingItem.Triggers, 7_000L, 28)], metrics.Items.Select(i => (i.Item, i.Amount.Cents(), i.Days)));
        foreach (var workspace in bill.Workspaces)
        {
            // Each workspace: its daily bills' sums, item by item and payment by payment.
            var own = dailyBills.Where(d => d.WorkspaceId == workspace.WorkspaceId).ToList();
            Assert.Equal(29, workspace.Days);
            Assert.Equal(own.Sum(d => d.Total.Cents()), workspace.Total.Cents());
            Assert.Equal(own.Sum(d => d.PaidByVouchers.Cents()), workspace.Payments.PaidByVouchers.Cents());
            Assert.Equal(own.Sum(d => d.PaidByPrepaidCards.Cents()), workspace.Payments.PaidByPrepaidCards.Cents());
            Assert.Equal(own.Sum(d => d.PaidByCash.Cents()), workspace.Payments.PaidByCash.Cents());
            Assert.Equal(own.Sum(d => d.Arrears.Cents()), workspace.Payments.Arrears.Cents());
            foreach (var item in workspace.Items)
            {
                Assert.Equal(own.SelectMany(d => d.Lines).Where(l => l.Item == item.Item).Sum(l => l.Amount.Cents()), item.Amount.Cents());
            }
        }
        Assert.Equal(bill.Payments.PaidByCash.Cents(), bill.Workspaces.Sum(w => w.Payments.PaidByCash.Cents()));

        // Account B's bill has only its own workspace: 28 × 1.50 (1,000,000 logs = 1.00 unit × 1.5) = 42.00.
        var other = await (await SignInAsync(b)).MonthlyBillAsync(b.Id, 2026, 11);
        Assert.Equal(4_200, other.Total.Cents());
        Assert.Equal([otherWorkspace.Id], other.Workspaces.Select(w => w.WorkspaceId));

        // The CSV: one row per workspace, day and item used: 28 logs rows + 28 × 2 metrics rows; they sum to the bill.
        // Each row names its workspace as it is called now (quoted, for a comma and quotes) and its item for people.
        // A name that a spreadsheet would run as a formula begins with an apostrophe.
        await logsWorkspace.Owner.Api.Workspaces.UpdateWorkspaceAsync(new UpdateWorkspaceRequest
        {
            WorkspaceId = logsWorkspace.Id, Workspace = new Workspace { Name = "Logs, \"EU\"" }, UpdateMask = new() { Paths = { "name" } },
        });
        await metricsWorkspace.Owner.Api.Workspaces.UpdateWorkspaceAsync(new UpdateWorkspaceRequest
        {
            WorkspaceId = metricsWorkspace.Id, Workspace = new Workspace { Name = "=HYPERLINK(\"http://x.example\")" }, UpdateMask = new() { Paths = { "name" } },
        });
        var (_, rows) = await signedIn.ExportAsync(bill.MonthlyBillId);
        Assert.Equal(84, rows.Count);
        Assert.Equal(bill.Total.Cents(), rows.Sum(r => r.AmountCents));
        var row = rows.Single(r => r.WorkspaceId == logsWorkspace.Id && r.Day == "2026-11-03");
        Assert.Equal(("cn1", "logs", 2_000_000L, "2.00", "1.500000", 300L), (row.SiteCode, row.Item, row.Quantity, row.Units, row.UnitPrice, row.AmountCents));
        Assert.Equal(("Logs, \"EU\"", "Logs (log-class data)"), (row.WorkspaceName, row.ItemName));
        Assert.All(rows.Where(r => r.WorkspaceId == metricsWorkspace.Id), r => Assert.Equal("'=HYPERLINK(\"http://x.example\")", r.WorkspaceName));

        // Idempotent: the job again, and the operator's call, write nothing; the bill is the same bill.
        await RunJobAsync();
        var again = await host.GenerateAsync(2026, 11);
        Assert.Equal((0, 2, 0), (again.Generated, again.Existing, again.Waiting));
        var list = await signedIn.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest { BillingAccountId = a.Id });
        Assert.Equal([bill.MonthlyBillId], list.MonthlyBills.Select(m => m.MonthlyBillId));
        Assert.Empty(list.MonthlyBills[0].Workspaces);
        Assert.Equal(bill.GenerateTime, list.MonthlyBills[0].GenerateTime);

        // Each account hears of its bill once (BILL_READY), with the month and the total, however often the bills are asked for.
        foreach (var (account, total) in new[] { (a, "271.60"), (b, "42.00") })
        {
            var notices = (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
            {
                BillingAccountId = account.Id, Kinds = { NotificationKind.BillReady },
            })).Notifications;
            var notice = Assert.Single(notices);
            Assert.Contains("2026-11", notice.Subject, StringComparison.Ordinal);
            Assert.Contains(total, notice.Body, StringComparison.Ordinal);
        }
    }

    private async Task RunJobAsync() =>
        await host.Services.GetRequiredService<JobRunner>().RunAsync("monthly-bills", host.Clock.GetUtcNow(), CancellationToken.None);

    private async Task<Api> SignInAsync(TestBillingAccount account)
    {
        var signedIn = await host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = account.Password });
        return host.Api(signedIn.Token);
    }

    private void MoveTo(DateTimeOffset instant)
    {
        if (instant > host.Clock.GetUtcNow())
        {
            host.Clock.SetUtcNow(instant);
        }
    }

    private static UsageRecord Record(BillingItem item, long quantity, DateTimeOffset observedAt) =>
        new() { Item = item, Quantity = quantity, ObservedAt = Timestamp.FromDateTimeOffset(observedAt) };

    /// <summary>A collector of a workspace, reporting with rising sequence numbers.</summary>
    private sealed class Agent(Api api)
    {
        private long _sequence;

        public static async Task<Agent> CreateAsync(BillingHost host, TestWorkspace workspace)
        {
            var created = await workspace.Owner.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.Id, DisplayName = "agents" });
            return new Agent(host.Api(created.Token));
        }

        public async Task ReportAsync(params UsageRecord[] records)
        {
            var request = new ReportUsageRequest { CollectorId = "agent-1", Sequence = ++_sequence };
            request.Records.Add(records);
            var response = await api.Usage.ReportUsageAsync(request);
            Assert.False(response.Duplicate);
        }
    }
}
