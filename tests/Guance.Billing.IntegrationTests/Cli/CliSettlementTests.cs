using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>
/// settlement on a simulated clock: support replays a customer's first weeks on the commercial plan
/// with guance-billing alone (upgrade, days passing, bills, a change of binding, arrears, the lock
/// and the recharge that lifts it). Usage comes in through the API as an agent's would.
/// </summary>
[Collection(CliSimulatedClockCollection.Name)]
public sealed class CliSettlementTests(CliSimulatedClockHost fixture)
{
    private HostProcess Host => fixture.Host;

    [Fact]
    public async Task Support_replays_a_customers_first_weeks_of_daily_settlement()
    {
        var op = Host.OperatorToken!;
        var cli = fixture.NewCli();
        var workspace = await Host.WorkspaceAsync("cn1");
        var ws = workspace.WorkspaceId;
        var first = await CertifiedAccountAsync("first", "ACME Ltd", 10m);
        var second = await CertifiedAccountAsync("second", "ACME Ltd", 4m);
        var uncertified = await Host.BillingAccountAsync("other");

        // The upgrade cannot be undone: without --yes (and no terminal to ask at) nothing happens.
        var unconfirmed = await cli.RunAsync(As(workspace.OwnerToken, "workspaces", "upgrade", ws, "--binding-code", await Host.BindingCodeAsync(first)));
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("this cannot be undone. Pass --yes to confirm.", unconfirmed.Stderr);

        var upgraded = await cli.RunAsync(As(workspace.OwnerToken, "workspaces", "upgrade", ws, "--binding-code", await Host.BindingCodeAsync(first), "--yes"));
        upgraded.Ok();
        Assert.Contains($"{ws} (Production) is on the commercial plan, billed to {first.BillingAccountId}.", upgraded.Stdout);
        Assert.Matches(@"Method:\s+billing-center\n", upgraded.Stdout);
        Assert.Matches(@"Allowed methods:\s+billing-center, alibaba-cloud\n", upgraded.Stdout);

        // An hour later (10:30 in Hangzhou) the agents report; the day has not ended, so it cannot be closed.
        var hour = await cli.RunAsync(As(op, "settlement", "clock", "advance", "--by", "1h", "-o", "json"));
        hour.Ok();
        Assert.Equal("2026-11-02T01:30:00Z", hour.Json.GetProperty("previousTime").GetString());
        Assert.Equal("2026-11-02T02:30:00Z", hour.Json.GetProperty("now").GetString());
        await Host.ReportAsync(workspace, 1, (BillingItem.Logs, 1_200_000), (BillingItem.TimeSeries, 6_000));
        var early = await cli.RunAsync(As(op, "settlement", "close-day", "--site", "cn1", "--day", "2026-11-02"));
        Assert.Equal(6, early.ExitCode);
        Assert.EndsWith("(DAY_NOT_ENDED)", early.ErrorLines[0]);

        // A day later the day close has run on the way: the bill, a line per item.
        var day = await cli.RunAsync(As(op, "settlement", "clock", "advance", "--by", "1d"));
        day.Ok();
        Assert.Matches(@"Now:\s+2026-11-03 02:30:00Z", day.Stdout);
        var bills = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "bills", "--workspace", ws, "--month", "2026-11"));
        bills.Ok();
        // time series: max 6,000 / 1,000 = 6.00 units x 0.70 (CN, 7-day retention) = 4.20
        Assert.Matches(@"│ 2026-11-02 │ Production\s+│ time-series\s+│\s+6,000 │\s+6\.00 │\s+0\.70 CNY │\s+1,000 │ 7d\s+│\s+4\.20 CNY │", bills.Stdout);
        // logs: sum 1,200,000 / 1,000,000 = 1.20 units x 1.50 (CN, 14-day retention) = 1.80
        Assert.Matches(@"│\s+│\s+│ logs\s+│\s+1,200,000 │\s+1\.20 │\s+1\.50 CNY │\s+1,000,000 │ 14d\s+│\s+1\.80 CNY │", bills.Stdout);
        Assert.Matches(@"│\s+│\s+│ total\s+│\s+│\s+│\s+│\s+│\s+│\s+6\.00 CNY │", bills.Stdout);
        Assert.Matches($@"│ 2026-11-02 │ Production\s+│ {ws} │ db_\w+\s+│ charged\s+│ billing-center │\s+6\.00 CNY │", bills.Stdout);
        Assert.Contains("Month total 2026-11: 6.00 CNY", bills.Stdout);

        // The first account's cash paid it: 10.00 - 6.00 = 4.00 left.
        var consumption = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "consumption", ws, "-o", "json"));
        consumption.Ok();
        var summary = consumption.Json.GetProperty("summary");
        Assert.True(summary.GetProperty("yesterdayClosed").GetBoolean());
        Assert.Equal((6.00m, 6.00m, 6.00m), (summary.At("yesterdayAmount").Yuan(), summary.At("monthToDateAmount").Yuan(), summary.At("totalAmount").Yuan()));

        // Finance moves the workspace to the enterprise's other account; not to one without its certification.
        var refused = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "change-binding", ws, "--binding-code", await Host.BindingCodeAsync(uncertified)));
        Assert.Equal(6, refused.ExitCode);
        Assert.EndsWith("(CERTIFICATION_REQUIRED)", refused.ErrorLines[0]);
        Assert.Equal($"  CERTIFICATION_REQUIRED on billing_accounts/{uncertified.BillingAccountId}", refused.ErrorLines[1]);
        var moved = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "change-binding", ws, "--binding-code", await Host.BindingCodeAsync(second)));
        moved.Ok();
        Assert.Contains($"{ws} moved from {first.BillingAccountId} to {second.BillingAccountId}.", moved.Stdout);
        var noAccount = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "change-method", ws, "--method", "aws"));
        Assert.Equal(3, noAccount.ExitCode);
        Assert.StartsWith("  cloud_account_id: ", noAccount.ErrorLines[1]);
        var aws = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "change-method", ws, "--method", "aws", "--cloud-account", "ca_01m6fkvx209y3hdbf5qwwh02kf"));
        Assert.Equal(6, aws.ExitCode);
        Assert.EndsWith("(SETTLEMENT_METHOD_NOT_ALLOWED)", aws.ErrorLines[0]);

        // The second day's bill is more than the second account has: 5,000,000 / 1,000,000 = 5.00 x 1.50 = 7.50;
        // cash 4.00 pays, 3.50 become arrears and the 14-day countdown starts.
        await Host.ReportAsync(workspace, 2, (BillingItem.Logs, 5_000_000));
        (await cli.RunAsync(As(op, "settlement", "clock", "advance", "--by", "1d"))).Ok();
        var overview = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "overview", ws, "-o", "json"));
        overview.Ok();
        var o = overview.Json.GetProperty("overview");
        Assert.Equal(second.BillingAccountId, o.GetProperty("billingAccountId").GetString());
        Assert.Equal((0m, 3.50m, false), (o.At("cash").Yuan(), o.At("arrears").Yuan(), o.GetProperty("locked").GetBoolean()));
        Assert.Equal(TimeSpan.FromDays(14), Instant(o, "lockTime") - Instant(o, "arrearsSince"));
        Assert.Equal(
            ["BILLING_ACTION_RECHARGE", "BILLING_ACTION_OPEN_BILLING_CENTER", "BILLING_ACTION_CHANGE_SETTLEMENT_METHOD", "BILLING_ACTION_CHANGE_BINDING"],
            o.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
        var standard = await cli.RunAsync(As(workspace.StandardToken, "settlement", "overview", ws));
        Assert.Equal(5, standard.ExitCode);

        // The bill went to the account bound at the close; the first day's stays with the first account.
        var secondBills = await cli.RunAsync(As(await Host.SessionAsync(second), "settlement", "bills", "--account", second.BillingAccountId, "--month", "2026-11", "-o", "json"));
        secondBills.Ok();
        var bill = Assert.Single(secondBills.Json.GetProperty("dailyBills").EnumerateArray());
        Assert.Equal(("DAILY_BILL_STATUS_CHARGED", 7.50m, 4.00m, 3.50m),
            (bill.GetProperty("status").GetString(), bill.At("total").Yuan(), bill.At("paidByCash").Yuan(), bill.At("arrears").Yuan()));
        Assert.Equal(["BILLING_ITEM_LOGS"], bill.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("item").GetString()!));
        Assert.Equal("5.00", bill.GetProperty("lines")[0].GetProperty("units").GetString());

        var table = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "consumption", ws));
        table.Ok();
        Assert.Matches(@"Yesterday:\s+2026-11-03 \(closed\)", table.Stdout);
        Assert.Matches(@"Yesterday's cost:\s+7\.50 CNY", table.Stdout);
        Assert.Matches(@"This month:\s+13\.50 CNY", table.Stdout);
        // logs: 1.80 + 7.50 = 9.30 this month; time series 4.20, nothing yesterday.
        Assert.Matches(@"│ logs\s+│\s+7\.50 CNY │\s+9\.30 CNY │\s+9\.30 CNY │", table.Stdout);
        Assert.Matches(@"│ time-series\s+│\s+0\.00 CNY │\s+4\.20 CNY │\s+4\.20 CNY │", table.Stdout);

        // Two weeks pass unpaid: the workspace is locked and its usage refused.
        var weeks = await cli.RunAsync(As(op, "settlement", "clock", "advance", "--to", "2026-11-18"));
        Assert.True(weeks.ExitCode == 0, weeks + "\n--- host\n" + string.Join('\n', Host.OutputLines.TakeLast(80)));
        // (The Owner's token has expired after two weeks of simulated time: support reads with the operator's.)
        var locked = await cli.RunAsync(As(op, "settlement", "show", ws));
        locked.Ok();
        Assert.Matches(@"Locked:\s+yes\n", locked.Stdout);
        var usage = await cli.RunAsync(new CliRun(["usage", "report", "--collector-id", "support-repro", "--sequence", "1", "--item", "logs", "--quantity", "10", "--observed-at", "2026-11-18T00:00:00Z"])
        {
            Environment = new Dictionary<string, string?> { ["GUANCE_COLLECTOR_TOKEN"] = workspace.CollectorToken },
        });
        Assert.Equal(6, usage.ExitCode);
        Assert.EndsWith("(WORKSPACE_LOCKED)", usage.ErrorLines[0]);
        var arrears = await cli.RunAsync(As(op, "settlement", "process-arrears", "-o", "json"));
        arrears.Ok();
        Assert.Equal((0, 0), (arrears.Json.GetProperty("lockWarnings").GetInt32(), arrears.Json.GetProperty("locks").GetInt32()));

        // Paying the arrears unlocks at once.
        (await cli.RunAsync(As(op, "wallet", "recharge", "-a", second.BillingAccountId, "--amount", "3.50", "--method", "bank-transfer", "--request-id", "unlock-" + ws))).Ok();
        var unlocked = await cli.RunAsync(As(op, "settlement", "show", ws, "-o", "json"));
        unlocked.Ok();
        Assert.False(unlocked.Json.At("settlement", "locked").GetBoolean());
        var clock = await cli.RunAsync(As(op, "settlement", "clock", "show"));
        Assert.Matches(@"Clock:\s+simulated\nNow:\s+2026-11-18 00:00:00Z", clock.Stdout);

        // The month so far: 6.00 + 7.50 (the days after had no usage: bills of 0.00).
        var month = await cli.RunAsync(As(op, "settlement", "bills", "--workspace", ws, "--month", "2026-11", "--all", "-o", "json"));
        month.Ok();
        Assert.Equal(13.50m, month.Json.At("monthTotal").Yuan());
        Assert.Equal(13.50m, month.Json.GetProperty("dailyBills").EnumerateArray().Sum(b => b.At("total").Yuan()));

        // Closing closed days again changes nothing and shows them (idempotent).
        var again = await cli.RunAsync(As(op, "settlement", "close-day", "--site", "cn1", "--day", "2026-11-02", "--to", "2026-11-03", "-o", "json"));
        again.Ok();
        Assert.Equal("", again.Stderr);
        var closes = again.Json.GetProperty("dayCloses").EnumerateArray().ToList();
        Assert.Equal(["DAY_CLOSE_STATE_COMPLETED", "DAY_CLOSE_STATE_COMPLETED"], closes.Select(c => c.GetProperty("state").GetString()!));
        Assert.Equal([6.00m, 7.50m], closes.Select(c => c.At("total").Yuan()));

        // On 3 December (00:10 in Hangzhou) the monthly bills of November have been generated on the way.
        (await cli.RunAsync(As(op, "settlement", "clock", "advance", "--to", "2026-12-02T16:10:00Z"))).Ok();
        var firstSession = await Host.SessionAsync(first);
        var monthly = await cli.RunAsync(As(firstSession, "settlement", "monthly", "list", "--account", first.BillingAccountId, "-o", "json"));
        monthly.Ok();
        var november = Assert.Single(monthly.Json.GetProperty("monthlyBills").EnumerateArray());
        Assert.Equal((2026, 11, 6.00m, 6.00m), (november.GetProperty("year").GetInt32(), november.GetProperty("month").GetInt32(),
            november.At("total").Yuan(), november.At("payments", "paidByCash").Yuan()));
        var billId = november.GetProperty("monthlyBillId").GetString()!;

        var shown = await cli.RunAsync(As(firstSession, "settlement", "monthly", "show", billId));
        shown.Ok();
        Assert.Contains($"Monthly bill {billId} of {first.BillingAccountId} for 2026-11: 6.00 CNY", shown.Stdout);
        Assert.Matches(@"│ Production\s+│ cn1\s+│\s+\d+ │ time-series\s+│\s+4\.20 CNY │", shown.Stdout);
        Assert.Matches($@"│ Production\s+│ {ws} │\s+6\.00 CNY │\s+0\.00 CNY │\s+0\.00 CNY │\s+6\.00 CNY │", shown.Stdout);
        Assert.Matches(@"│\s+│\s+│\s+│ logs\s+│\s+1\.80 CNY │", shown.Stdout);

        // The CSV export: a header and a row per workspace, day and item, whose amounts sum to the bill.
        var folder = Path.Combine(fixture.ConfigDirectory, "exports");
        var csv = Path.Combine(folder, "november.csv");
        var noFolder = await cli.RunAsync(As(firstSession, "settlement", "monthly", "export", billId, "--file", csv));
        Assert.Equal(2, noFolder.ExitCode);
        Assert.Equal($"error: --file: the folder {folder} does not exist.", noFolder.ErrorLines[0]);
        Directory.CreateDirectory(folder);
        var exported = await cli.RunAsync(As(firstSession, "settlement", "monthly", "export", billId, "--file", csv, "-o", "json"));
        exported.Ok();
        Assert.Equal(2, exported.Json.GetProperty("rows").GetInt32());
        var rows = File.ReadAllLines(csv);
        Assert.StartsWith("workspace_id,", rows[0]);
        Assert.Equal(3, rows.Length);
        Assert.Equal(6.00m, rows.Skip(1).Sum(r => decimal.Parse(r.Split(',')[7], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(File.Exists(csv + ".partial"));
        var piped = await cli.RunAsync(As(firstSession, "settlement", "monthly", "export", billId, "--file", "-"));
        piped.Ok();
        Assert.Equal(rows, piped.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Equal("Wrote a header and 2 rows to standard output", piped.ErrorLines[^1]);
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "-")));

        // Generating again changes nothing; another account's bill is not found for this one.
        var generated = await cli.RunAsync(As(op, "settlement", "monthly", "generate", "--month", "2026-11", "-o", "json"));
        generated.Ok();
        Assert.Equal(0, generated.Json.TryGetProperty("generated", out var count) ? count.GetInt32() : 0);
        var foreign = await cli.RunAsync(As(await Host.SessionAsync(second), "settlement", "monthly", "export", billId, "--file", csv + ".other"));
        Assert.Equal(4, foreign.ExitCode);
        Assert.False(File.Exists(csv + ".other"));
    }

    [Fact]
    public async Task Operators_price_the_future_only()
    {
        var op = Host.OperatorToken!;
        var cli = fixture.NewCli();

        var inForce = await cli.RunAsync("settlement", "prices", "show", "--site", "cn1", "--day", "2026-11-02");
        inForce.Ok();
        Assert.Matches(@"Region:\s+cn\n", inForce.Stdout);
        Assert.Matches(@"│ logs\s+│ 14d\s+│\s+1\.50 CNY │\s+1,000,000 │", inForce.Stdout);
        Assert.Matches(@"│ backup-logs\s+│\s+│\s+0\.007 CNY │ 1,000,000,000 │", inForce.Stdout);
        var baseList = (await cli.RunAsync("settlement", "prices", "show", "--site", "cn1", "--day", "2026-11-02", "-o", "json")).Json.At("priceList", "priceListId").GetString()!;

        var past = await cli.RunAsync(As(op, "settlement", "prices", "create", "--region", "cn", "--effective-day", "2026-10-01", "--base", baseList, "--price", "logs:14=1.60"));
        Assert.Equal(3, past.ExitCode);
        Assert.Equal("error: The request has invalid fields (INVALID_ARGUMENT)", past.ErrorLines[0]);
        Assert.StartsWith("  effective_day: ", past.ErrorLines[1]);

        var malformed = await cli.RunAsync(As(op, "settlement", "prices", "create", "--region", "cn", "--effective-day", "2027-01-01", "--price", "logs:14=1.6.0"));
        Assert.Equal(2, malformed.ExitCode);
        Assert.StartsWith("error: --price: 'logs:14=1.6.0' is not a price", malformed.ErrorLines[0]);

        var notOperator = await cli.RunAsync("settlement", "prices", "create", "--region", "cn", "--effective-day", "2027-01-01", "--base", baseList, "--price", "logs:14=1.60");
        Assert.Equal(5, notOperator.ExitCode);

        var created = await cli.RunAsync(As(op, "settlement", "prices", "create", "--region", "cn", "--effective-day", "2027-01-01", "--base", baseList,
            "--price", "logs:14=1.60", "--price", "backup-logs=0.0075", "--description", "logs and backup up in 2027", "-o", "json"));
        created.Ok();
        var prices = created.Json.At("priceList", "prices").EnumerateArray().ToList();
        Assert.Equal(1.60m, prices.Single(p => p.GetProperty("item").GetString() == "BILLING_ITEM_LOGS" && p.GetProperty("retentionDays").GetInt32() == 14).At("unitPrice").Yuan());
        Assert.Equal(0.0075m, prices.Single(p => p.GetProperty("item").GetString() == "BILLING_ITEM_BACKUP_LOGS").At("unitPrice").Yuan());
        Assert.Equal(1.20m, prices.Single(p => p.GetProperty("item").GetString() == "BILLING_ITEM_LOGS" && p.GetProperty("retentionDays").GetInt32() == 7).At("unitPrice").Yuan());

        var listed = await cli.RunAsync("settlement", "prices", "list", "--region", "cn");
        listed.Ok();
        Assert.Matches(@"│ pl_\w+\s+│ cn\s+│ 2027-01-01 │\s+\d+ │ logs and backup up in 2027 │", listed.Stdout);
        Assert.Contains($"│ {baseList} ", listed.Stdout);
    }

    private async Task<CliBillingAccount> CertifiedAccountAsync(string name, string enterprise, decimal cash)
    {
        var account = await Host.BillingAccountAsync(name);
        await Host.Api(account.SessionToken).BillingAccounts.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = account.BillingAccountId, EnterpriseName = enterprise, TaxpayerId = "91310000775785552L",
        });
        var operatorApi = Host.Api(Host.OperatorToken);
        await operatorApi.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
        {
            BillingAccountId = account.BillingAccountId, Decision = CertificationDecision.Approve,
        });
        await operatorApi.BillingAccounts.RechargeAsync(new RechargeRequest
        {
            BillingAccountId = account.BillingAccountId,
            Amount = new Money { CurrencyCode = "CNY", Units = (long)cash, Nanos = (int)((cash - decimal.Truncate(cash)) * 1_000_000_000) },
            RequestId = Guid.NewGuid().ToString("N"),
            PaymentMethod = PaymentMethod.BankTransfer,
        });
        return account;
    }

    /// <summary>A binding code (valid 10 minutes) from a fresh session: sessions last 12 hours of the simulated clock.</summary>
    private static DateTimeOffset Instant(JsonElement element, string name) => DateTimeOffset.Parse(element.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
