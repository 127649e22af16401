using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Settlement.DayCloseKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// CloseDay through gRPC: one daily bill per commercial workspace of the site (none for experience
/// workspaces), a line per item with the day's quantity (MAX of hourly points for stock items, SUM for
/// flow items, over the site-local day), units truncated to hundredths, the unit price of the
/// workspace's retention on the site's price list, the amount half-up to the cent; closing twice bills
/// and charges once; a closed day takes no more usage; who may close days and read bills.
/// The tests share one host and its fake clock, which only moves forward; each test uses its own sites,
/// so that a close of one test never bills another's workspaces.
/// </summary>
public sealed class DayCloseTests(BillingHost host) : IClassFixture<BillingHost>
{
    private const string CnPriceList = "pl_01hk153x000000000000000001";
    private const string IntlPriceList = "pl_01hk153x000000000000000002";

    [Fact]
    public async Task A_day_is_rated_per_item_and_charged_once_however_often_it_is_closed()
    {
        var day = host.NextDay(China);
        var rated = await host.CreateWorkspaceAsync("cn1");
        var payer = await host.UpgradeAsync(rated);
        var idle = await host.CreateWorkspaceAsync("cn1");
        var idlePayer = await host.UpgradeAsync(idle);
        var experience = await host.CreateWorkspaceAsync("cn1");
        foreach (var (type, days) in new[] { (DataType.Logs, 60), (DataType.Apm, 3), (DataType.Rum, 14) })
        {
            await rated.Owner.Api.Workspaces.UpdateRetentionAsync(new UpdateRetentionRequest { WorkspaceId = rated.Id, DataType = type, Days = days });
        }
        await host.FundedWalletAsync(payer, 100m);
        var agent = await host.AgentAsync(rated);
        var experienceAgent = await host.AgentAsync(experience);

        // The day before: not part of the day.
        host.MoveClockTo(Local(day.AddDays(-1), China, 23, 59));
        await agent.ReportAsync(Record(BillingItem.Logs, 1_000_000, Local(day.AddDays(-1), China, 23, 59)));

        host.MoveClockTo(Local(day, China, 23, 50));
        DateTimeOffset At(int hour) => Local(day, China, hour, 15);
        await agent.ReportAsync(
            // Stock items: the largest hourly point.
            Record(BillingItem.TimeSeries, 100, At(10)), Record(BillingItem.TimeSeries, 159, At(11)), Record(BillingItem.TimeSeries, 120, At(12)),
            Record(BillingItem.SessionReplay, 1_234, At(10)), Record(BillingItem.SessionReplay, 4_321, At(11)),
            Record(BillingItem.NetworkHosts, 3, At(10)), Record(BillingItem.NetworkHosts, 7, At(11)), Record(BillingItem.NetworkHosts, 5, At(12)),
            Record(BillingItem.BackupLogs, 2_000_000_000, At(10)), Record(BillingItem.BackupLogs, 5_009_999_999, At(11)),
            // Flow items: the sum of the day.
            Record(BillingItem.Logs, 1_500_000, At(10)), Record(BillingItem.Logs, 519_999, At(11)),
            Record(BillingItem.ApmTrace, 3_000_000, At(10)), Record(BillingItem.ApmTrace, 456_789, At(13)),
            Record(BillingItem.ApmProfile, 100_000, At(10)), Record(BillingItem.ApmProfile, 23_456, At(14)),
            Record(BillingItem.RumPv, 50_000, At(10)), Record(BillingItem.RumPv, 5_555, At(23)),
            Record(BillingItem.SyntheticTests, 25_000, At(10)), Record(BillingItem.SyntheticTests, 5, At(0)),
            Record(BillingItem.Triggers, 60_000, At(10)), Record(BillingItem.Triggers, 39_999, At(12)),
            Record(BillingItem.Sms, 7, At(10)), Record(BillingItem.Sms, 8, At(11)));
        await experienceAgent.ReportAsync(Record(BillingItem.Logs, 1_000, At(10)));

        // 00:00 of the next day (16:00 UTC) is the next day's.
        host.MoveClockTo(Local(day.AddDays(1), China, 0, 40));
        await agent.ReportAsync(Record(BillingItem.Logs, 1_000_000, Local(day.AddDays(1), China, 0, 0)));

        var close = await host.CloseDayAsync("cn1", day);

        // Hand calculation, CN list; retention metrics 7 d (default), logs 60 d, APM 3 d, RUM 14 d:
        //   time series    MAX 159            / 1,000  = 0.159  -> 0.15 x 0.7   = 0.105  -> 0.11
        //   logs           SUM 2,019,999      / 10^6   = 2.0199 -> 2.01 x 2.5   = 5.025  -> 5.03
        //   backup logs    MAX 5,009,999,999  / 10^9   = 5.0099 -> 5.00 x 0.007 = 0.035  -> 0.04
        //   network hosts  MAX 7              / 1      = 7.00        x 2     = 14.00
        //   session replay MAX 4,321          / 1,000  = 4.321  -> 4.32 x 2.5   = 10.80
        //   APM trace      SUM 3,456,789      / 10^6   = 3.4567 -> 3.45 x 2     = 6.90
        //   APM profile    SUM 123,456        / 10,000 = 12.345 -> 12.34 x 0.2  = 2.468  -> 2.47
        //   RUM PV         SUM 55,555         / 10,000 = 5.5555 -> 5.55 x 2     = 11.10
        //   synthetic      SUM 25,005         / 10,000 = 2.5005 -> 2.50 x 1     = 2.50
        //   triggers       SUM 99,999         / 10,000 = 9.9999 -> 9.99 x 1     = 9.99
        //   SMS            SUM 15             / 10     = 1.50        x 1     = 1.50
        //   total 0.11 + 5.03 + 0.04 + 14.00 + 10.80 + 6.90 + 2.47 + 11.10 + 2.50 + 9.99 + 1.50 = 64.44
        var bill = await host.BillAsync(rated.Id, day);
        bill.AssertLine(BillingItem.TimeSeries, 159, "0.15", 0.7m, 11, 7);
        bill.AssertLine(BillingItem.Logs, 2_019_999, "2.01", 2.5m, 503, 60);
        bill.AssertLine(BillingItem.BackupLogs, 5_009_999_999, "5.00", 0.007m, 4);
        bill.AssertLine(BillingItem.NetworkHosts, 7, "7.00", 2m, 1400);
        bill.AssertLine(BillingItem.SessionReplay, 4_321, "4.32", 2.5m, 1080);
        bill.AssertLine(BillingItem.ApmTrace, 3_456_789, "3.45", 2m, 690, 3);
        bill.AssertLine(BillingItem.ApmProfile, 123_456, "12.34", 0.2m, 247);
        bill.AssertLine(BillingItem.RumPv, 55_555, "5.55", 2m, 1110, 14);
        bill.AssertLine(BillingItem.SyntheticTests, 25_005, "2.50", 1m, 250);
        bill.AssertLine(BillingItem.Triggers, 99_999, "9.99", 1m, 999);
        bill.AssertLine(BillingItem.Sms, 15, "1.50", 1m, 150);
        Assert.Equal(11, bill.Lines.Count);
        Assert.Equal(64_44, bill.Total.Cents());
        Assert.Equal(DailyBillStatus.Charged, bill.Status);
        Assert.Equal(payer.Id, bill.BillingAccountId);
        Assert.Equal("cn1", bill.SiteCode);
        Assert.Equal(CnPriceList, bill.PriceListId);
        Assert.Equal(64_44, bill.PaidByCash.Cents());
        Assert.Equal(0, bill.Arrears.Cents());

        // A commercial workspace without usage gets a bill of zero; an experience workspace none.
        var idleBill = await host.BillAsync(idle.Id, day);
        Assert.Equal(0, idleBill.Total.Cents());
        Assert.Empty(idleBill.Lines);
        Assert.Equal(idlePayer.Id, idleBill.BillingAccountId);
        Assert.Empty(await host.BillsAsync(experience.Id, day.Year, day.Month));

        Assert.Equal(DayCloseState.Completed, close.State);
        Assert.Equal(2, close.Bills);
        Assert.Equal(2, close.BillsCharged);
        Assert.Equal(64_44, close.Total.Cents());
        Assert.Equal(CnPriceList, close.PriceListId);

        // 100.00 - 64.44 = 35.56 of cash left.
        Assert.Equal(35_56, (await host.WalletAsync(payer.Id)).Cash.Cents());

        // Closed again: the same close, the same bills, nothing charged twice.
        var again = await host.CloseDayAsync("cn1", day);
        Assert.Equal(close, again);
        var billAgain = await host.BillAsync(rated.Id, day);
        Assert.Equal(bill, billAgain);
        Assert.Single(await host.BillsAsync(rated.Id, day.Year, day.Month), b => b.Day.ToDateOnly() == day);
        Assert.Equal(35_56, (await host.WalletAsync(payer.Id)).Cash.Cents());
        var charges = (await host.Operator.BillingAccounts.ListTransactionsAsync(new ListTransactionsRequest
        {
            BillingAccountId = payer.Id, Kinds = { TransactionKind.Charge }, PageSize = 100,
        })).Transactions;
        var charge = Assert.Single(charges);
        Assert.Equal(bill.DailyBillId, charge.Reference);
        Assert.Equal(bill.TransactionId, charge.TransactionId);
        Assert.Equal(64_44, Math.Abs(charge.Amount.Cents()));
        await host.AssertLedgerCleanAsync(payer.Id);
        await host.AssertLedgerCleanAsync(idlePayer.Id);
    }

    [Fact]
    public async Task A_day_is_the_site_local_day_in_UTC_plus_8()
    {
        var day = host.NextDay(China);
        var workspace = await host.CreateWorkspaceAsync("cn2");
        await host.UpgradeAsync(workspace);
        var agent = await host.AgentAsync(workspace);

        host.MoveClockTo(Local(day.AddDays(-1), China, 23, 59));
        await agent.ReportAsync(Record(BillingItem.TimeSeries, 9_000, Local(day.AddDays(-1), China, 23, 30)),
            Record(BillingItem.Logs, 500_000, Local(day.AddDays(-1), China, 23, 59)));
        host.MoveClockTo(Local(day, China, 23, 59));
        await agent.ReportAsync(Record(BillingItem.TimeSeries, 2_000, Local(day, China, 0, 0)), Record(BillingItem.TimeSeries, 3_000, Local(day, China, 23, 59)),
            Record(BillingItem.Logs, 1_000_000, Local(day, China, 0, 0)), Record(BillingItem.Logs, 1_000_000, Local(day, China, 23, 59)));
        host.MoveClockTo(Local(day.AddDays(1), China, 0, 35));
        await agent.ReportAsync(Record(BillingItem.TimeSeries, 8_000, Local(day.AddDays(1), China, 0, 0)),
            Record(BillingItem.Logs, 700_000, Local(day.AddDays(1), China, 0, 0)));

        await host.CloseDayAsync("cn2", day);

        // CN list, default retention (metrics 7 d, logs 14 d); 16:00 UTC the evening before to 16:00 UTC:
        //   time series MAX 3,000     / 1,000 = 3.00 x 0.7 = 2.10
        //   logs        SUM 2,000,000 / 10^6  = 2.00 x 1.5 = 3.00      total 5.10
        var bill = await host.BillAsync(workspace.Id, day);
        bill.AssertLine(BillingItem.TimeSeries, 3_000, "3.00", 0.7m, 210, 7);
        bill.AssertLine(BillingItem.Logs, 2_000_000, "2.00", 1.5m, 300, 14);
        Assert.Equal(5_10, bill.Total.Cents());
    }

    [Fact]
    public async Task A_day_is_the_site_local_day_in_Oregon_with_Intl_prices()
    {
        var day = host.NextDay(Oregon);
        var workspace = await host.CreateWorkspaceAsync("us1");
        await host.UpgradeAsync(workspace);
        var agent = await host.AgentAsync(workspace);

        host.MoveClockTo(Local(day.AddDays(-1), Oregon, 23, 59));
        await agent.ReportAsync(Record(BillingItem.Logs, 400_000, Local(day.AddDays(-1), Oregon, 23, 59)));
        host.MoveClockTo(Local(day, Oregon, 23, 59));
        await agent.ReportAsync(
            Record(BillingItem.TimeSeries, 4_444, Local(day, Oregon, 0, 0)), Record(BillingItem.TimeSeries, 1_000, Local(day, Oregon, 12, 0)),
            Record(BillingItem.Logs, 300_000, Local(day, Oregon, 0, 0)), Record(BillingItem.Logs, 25_000, Local(day, Oregon, 23, 59)),
            Record(BillingItem.RumPv, 12_345, Local(day, Oregon, 8, 0)));

        // The day has ended in China (it is 15:59 of the next day there) but not in Oregon.
        await RpcAssert.Precondition(() => host.Operator.Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "us1", Day = SettlementScenario.Day(day) }),
            "DAY_NOT_ENDED");

        host.MoveClockTo(Local(day.AddDays(1), Oregon, 0, 35));
        await agent.ReportAsync(Record(BillingItem.TimeSeries, 9_000, Local(day.AddDays(1), Oregon, 0, 0)),
            Record(BillingItem.Logs, 700_000, Local(day.AddDays(1), Oregon, 0, 0)));

        var close = await host.CloseDayAsync("us1", day);

        // Intl list, default retention (metrics 7 d, logs 14 d, RUM 7 d); 08:00 UTC to 08:00 UTC:
        //   time series MAX 4,444   / 1,000  = 4.444 -> 4.44 x 1.8 = 7.992 -> 7.99
        //   logs        SUM 325,000 / 10^6   = 0.325 -> 0.32 x 3   = 0.96
        //   RUM PV      SUM 12,345  / 10,000 = 1.2345 -> 1.23 x 3  = 3.69      total 12.64
        var bill = await host.BillAsync(workspace.Id, day);
        bill.AssertLine(BillingItem.TimeSeries, 4_444, "4.44", 1.8m, 799, 7);
        bill.AssertLine(BillingItem.Logs, 325_000, "0.32", 3m, 96, 14);
        bill.AssertLine(BillingItem.RumPv, 12_345, "1.23", 3m, 369, 7);
        Assert.Equal(12_64, bill.Total.Cents());
        Assert.Equal(IntlPriceList, bill.PriceListId);
        Assert.Equal(IntlPriceList, close.PriceListId);
    }

    [Fact]
    public async Task A_day_takes_late_records_until_its_grace_ends_and_closes_only_then()
    {
        var day = host.NextDay(China);
        var workspace = await host.CreateWorkspaceAsync("cn4");
        await host.UpgradeAsync(workspace);
        var agent = await host.AgentAsync(workspace);

        host.MoveClockTo(Local(day, China, 12, 0));
        await agent.ReportAsync(Record(BillingItem.Logs, 1_000_000, Local(day, China, 11, 0)));
        // The day has ended, its grace has not: a late report is still taken for that day, and the operator may not
        // close the day before the grace ends (agents were promised until then).
        host.MoveClockTo(Local(day.AddDays(1), China, 0, 10));
        await agent.ReportAsync(Record(BillingItem.Logs, 234_567, Local(day, China, 23, 30)));
        var early = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => host.Operator.Settlement.CloseDayAsync(
            new CloseDayRequest { SiteCode = "cn4", Day = SettlementScenario.Day(day) }).ResponseAsync, "DAY_NOT_ENDED");
        var closesAt = Local(day.AddDays(1), China, 0, 30);
        Assert.Equal(closesAt, DateTimeOffset.Parse(early.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Metadata["closes_at"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("00:30 (UTC+08:00)", early.Status.Detail);

        host.MoveClockTo(closesAt);
        await host.CloseDayAsync("cn4", day);

        var refused = await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => agent.ReportAsync(Record(BillingItem.Logs, 5, Local(day, China, 23, 40))), "DAY_CLOSED");
        Assert.Equal(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), refused.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Metadata["billing_day"]);
        // The next day is open.
        await agent.ReportAsync(Record(BillingItem.Logs, 5, Local(day.AddDays(1), China, 0, 5)));

        // CN list, logs 14 d: SUM 1,234,567 / 10^6 = 1.234567 -> 1.23 x 1.5 = 1.845 -> 1.85 (half-up).
        var bill = await host.BillAsync(workspace.Id, day);
        bill.AssertLine(BillingItem.Logs, 1_234_567, "1.23", 1.5m, 185, 14);
        Assert.Equal(1_85, bill.Total.Cents());
        Assert.Single(bill.Lines);
    }

    [Fact]
    public async Task Only_the_operator_closes_a_day_and_only_a_day_that_has_ended()
    {
        var berlin = TimeSpan.FromHours(1);
        var ended = host.NextDay(berlin);
        var workspace = await host.CreateWorkspaceAsync("eu1");
        var account = await host.UpgradeAsync(workspace);
        host.MoveClockTo(Local(ended.AddDays(1), berlin, 0, 40));
        account = await host.SignInAgainAsync(account);
        CloseDayRequest Request() => new() { SiteCode = "eu1", Day = SettlementScenario.Day(ended) };

        foreach (var (_, member) in workspace.Members)
        {
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => member.Api.Settlement.CloseDayAsync(Request()), "OPERATOR_REQUIRED");
        }
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => account.Api.Settlement.CloseDayAsync(Request()), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Settlement.CloseDayAsync(Request()), "TOKEN_MISSING");

        await RpcAssert.InvalidFields(() => host.Operator.Settlement.CloseDayAsync(new CloseDayRequest()), "site_code", "day");
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.CloseDayAsync(new CloseDayRequest
        {
            SiteCode = "mars1", Day = new BillingDay { Year = 2026, Month = 2, Day = 30 },
        }), "site_code", "day");

        // Today in Frankfurt (UTC+1 in winter) has not ended.
        var failure = await RpcAssert.Precondition(() => host.Operator.Settlement.CloseDayAsync(new CloseDayRequest
        {
            SiteCode = "eu1", Day = SettlementScenario.Day(ended.AddDays(1)),
        }), "DAY_NOT_ENDED");
        Assert.NotEmpty(failure.Violations.Single().Description);
        // None of the refused calls closed the day.
        Assert.Empty(await host.BillsAsync(workspace.Id, ended.Year, ended.Month));

        var close = await host.CloseDayAsync("eu1", ended);
        Assert.Equal(DayCloseState.Completed, close.State);
        Assert.Equal("eu1", close.SiteCode);
        Assert.Equal(ended, close.Day.ToDateOnly());
        Assert.Equal(1, close.Bills);
        Assert.Equal(0, (await host.BillAsync(workspace.Id, ended)).Total.Cents());
    }

    [Fact]
    public async Task Bills_and_the_consumption_summary_are_for_the_Owner_Administrators_the_billing_account_and_the_operator()
    {
        var day = host.NextDay(China);
        var workspace = await host.CreateWorkspaceAsync("ap1");
        var account = await host.UpgradeAsync(workspace);
        await host.FundedWalletAsync(account, 10m);
        var agent = await host.AgentAsync(workspace);
        // Singapore keeps UTC+8 too.
        host.MoveClockTo(Local(day, China, 12, 0));
        await agent.ReportAsync(Record(BillingItem.Logs, 1_000_000, Local(day, China, 11, 0)), Record(BillingItem.TimeSeries, 1_000, Local(day, China, 11, 0)));
        host.MoveClockTo(Local(day.AddDays(1), China, 0, 40));
        await host.CloseDayAsync("ap1", day);
        account = await host.SignInAgainAsync(account);

        // Intl list, default retention: logs 1,000,000 / 10^6 = 1.00 x 3 = 3.00; time series 1,000 / 1,000 = 1.00 x 1.8 = 1.80; total 4.80.
        ListDailyBillsRequest ByWorkspace() => new() { WorkspaceId = workspace.Id, Year = day.Year, Month = day.Month };
        ListDailyBillsRequest ByAccount() => new() { BillingAccountId = account.Id, Year = day.Year, Month = day.Month };
        foreach (var caller in new[] { workspace.Owner.Api, workspace.Administrator.Api, host.Operator })
        {
            var page = await caller.Settlement.ListDailyBillsAsync(ByWorkspace());
            var bill = Assert.Single(page.DailyBills);
            Assert.Equal(4_80, bill.Total.Cents());
            Assert.Equal(2, bill.Lines.Count);
            Assert.Equal(4_80, page.MonthTotal.Cents());

            var summary = (await caller.Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = workspace.Id })).Summary;
            Assert.Equal(day, summary.Yesterday.ToDateOnly());
            Assert.Equal(day.AddDays(1), summary.Today.ToDateOnly());
            Assert.True(summary.YesterdayClosed);
            Assert.Equal(4_80, summary.YesterdayAmount.Cents());
            Assert.Equal(day.Month == day.AddDays(1).Month ? 4_80 : 0, summary.MonthToDateAmount.Cents());
            Assert.Equal(4_80, summary.TotalAmount.Cents());
            Assert.Equal(3_00, summary.Items.Single(i => i.Item == BillingItem.Logs).Yesterday.Cents());
            Assert.Equal(1_80, summary.Items.Single(i => i.Item == BillingItem.TimeSeries).Total.Cents());
        }
        foreach (var caller in new[] { account.Api, host.Operator })
        {
            var page = await caller.Settlement.ListDailyBillsAsync(ByAccount());
            Assert.Equal(workspace.Id, Assert.Single(page.DailyBills).WorkspaceId);
            Assert.Equal(4_80, page.MonthTotal.Cents());
        }

        foreach (var member in new[] { workspace.Standard, workspace.ReadOnly })
        {
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => member.Api.Settlement.ListDailyBillsAsync(ByWorkspace()), "ROLE_NOT_PERMITTED");
            await RpcAssert.Fails(StatusCode.PermissionDenied,
                () => member.Api.Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = workspace.Id }), "ROLE_NOT_PERMITTED");
        }
        await RpcAssert.NotFound(() => workspace.Outsider.Api.Settlement.ListDailyBillsAsync(ByWorkspace()));
        await RpcAssert.NotFound(() => workspace.Outsider.Api.Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = workspace.Id }));
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Settlement.ListDailyBillsAsync(ByWorkspace()), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.Unauthenticated,
            () => host.Api().Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = workspace.Id }), "TOKEN_MISSING");

        var other = await host.RegisterBillingAccountAsync("other");
        await RpcAssert.Fails(StatusCode.NotFound, () => other.Api.Settlement.ListDailyBillsAsync(ByAccount()), "BILLING_ACCOUNT_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Owner.Api.Settlement.ListDailyBillsAsync(ByAccount()), "BILLING_CENTER_ONLY");

        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest
        {
            WorkspaceId = workspace.Id, Year = 1999, Month = 13,
        }), "year", "month");
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest
        {
            WorkspaceId = workspace.Id, BillingAccountId = account.Id, Year = day.Year, Month = day.Month,
        }), "workspace_id");
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { Year = day.Year, Month = day.Month }), "workspace_id");
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest()), "workspace_id");
    }

    [Fact]
    public async Task A_bill_beyond_one_charge_rpcs_bound_is_charged_and_the_day_completes()
    {
        // An agent may report up to 10^12 of an item in a record; rated, that can pass the 1 trillion CNY that one Charge
        // RPC may carry. The close charges it all the same (the rest as arrears), instead of leaving the site's day open.
        var day = new DateOnly(2026, 11, 10);
        using var own = new BillingHost { Clock = new(Local(day, China, 8, 0)) };
        var workspace = await own.CreateWorkspaceAsync("cn1");
        var payer = await own.UpgradeAsync(workspace);
        await own.FundedWalletAsync(payer, 100m);
        var agent = await own.AgentAsync(workspace);
        own.MoveClockTo(Local(day, China, 12, 0));
        await agent.ReportAsync(Record(BillingItem.NetworkHosts, 1_000_000_000_000, Local(day, China, 11, 0)),
            Record(BillingItem.TimeSeries, 1_000, Local(day, China, 11, 0)));
        own.MoveClockTo(Local(day.AddDays(1), China, 0, 40));

        Assert.Equal(DayCloseState.Completed, (await own.CloseDayAsync("cn1", day)).State);
        // 10^12 hosts x 2.00 = 2,000,000,000,000.00 CNY, and time series 1.00 unit x 0.70: the cash pays 100.00, the rest is arrears.
        const long total = 200_000_000_000_000 + 70;
        var bill = await own.BillAsync(workspace.Id, day);
        Assert.Equal((DailyBillStatus.Charged, total, 100_00L, total - 100_00),
            (bill.Status, bill.Total.Cents(), bill.PaidByCash.Cents(), bill.Arrears.Cents()));
        await own.AssertLedgerCleanAsync(payer.Id);
    }

    [Fact]
    public async Task A_close_refused_for_want_of_a_price_list_leaves_the_day_open()
    {
        // The seeded price lists start on 2024-01-01: 2023-12-31 has none. Its own host starts at 20:00
        // that evening (Shanghai), so the day is seen from the inside, then closed once its late grace has passed.
        var day = new DateOnly(2023, 12, 31);
        using var early = new BillingHost { Clock = new(Local(day, China, 20, 0)) };
        var workspace = await early.CreateWorkspaceAsync("cn1");
        await early.UpgradeAsync(workspace);
        var agent = await early.AgentAsync(workspace);
        early.MoveClockTo(Local(day, China, 21, 0));
        await agent.ReportAsync(Record(BillingItem.Logs, 2_000_000, Local(day, China, 21, 0)));
        early.MoveClockTo(Local(day.AddDays(1), China, 0, 10));
        await agent.ReportAsync(Record(BillingItem.Logs, 1_000_000, Local(day, China, 23, 50)));
        early.MoveClockTo(Local(day.AddDays(1), China, 0, 40));

        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => early.CloseDayAsync("cn1", day), "NO_PRICE_LIST");
        // Nothing was rated.
        Assert.Empty(await early.BillsAsync(workspace.Id, day.Year, day.Month));

        // Once a list is in force on the day (no RPC prices a past day, so it goes straight into the
        // database, as the seed did), the close goes through and rates all of the day's usage.
        const string listId = "pl_01hj00000000000000000000cn";
        await early.InsertPriceListAsync(listId, CnPriceList, day.AddDays(-30));
        var close = await early.CloseDayAsync("cn1", day);
        Assert.Equal(DayCloseState.Completed, close.State);
        Assert.Equal(listId, close.PriceListId);
        // 3,000,000 logs at 14 days: 3.00 units x 1.50 = 4.50.
        Assert.Equal(450, (await early.BillAsync(workspace.Id, day)).Total.Cents());
        await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => agent.ReportAsync(Record(BillingItem.Logs, 1, Local(day, China, 23, 55))), "DAY_CLOSED");
    }
}
