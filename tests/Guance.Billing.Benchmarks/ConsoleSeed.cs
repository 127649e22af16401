using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// What the console's pages show in the benchmark, made through the public API on a host with a
/// simulated clock: an Owner's commercial workspace on cn1 with 30 days of usage (a report every 3
/// hours, each day closed by the clock's jobs into a daily bill), bound to a billing-center account
/// with a recharge, the daily charges, a ticket and last month's monthly bill.
/// </summary>
internal sealed record ConsoleSeed(string Email, string WorkspaceId, string CollectorToken, string BillingUsername, string? MonthlyBillId)
{
    public const string Password = "correct horse battery";

    private static readonly (BillingItem Item, long Quantity)[] Usage =
    [
        (BillingItem.TimeSeries, 8_000), (BillingItem.Logs, 400_000), (BillingItem.ApmTrace, 60_000), (BillingItem.RumPv, 2_500), (BillingItem.Triggers, 300),
    ];

    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Where the seeding host's clock starts: the site's midnight <paramref name="days"/> days before <paramref name="end"/>.</summary>
    public static DateTimeOffset StartOf(DateTimeOffset end, int days)
    {
        var local = TimeZoneInfo.ConvertTime(end, Shanghai);
        return new DateTimeOffset(local.Date.AddDays(-days), local.Offset);
    }

    /// <summary>Seeds from <see cref="StartOf"/> (the host's clock start) up to <paramref name="end"/>.</summary>
    public static async Task<ConsoleSeed> CreateAsync(BenchmarkHost host, DateTimeOffset end, int days)
    {
        using var channel = host.Channel();
        var operatorCalls = ReadsBenchmark.WithToken(channel, BenchmarkHost.OperatorToken);
        var settlement = new SettlementService.SettlementServiceClient(operatorCalls);
        var email = $"console.{Guid.NewGuid():N}@example.com";
        var signUp = await new IdentityService.IdentityServiceClient(channel).SignUpAsync(new SignUpRequest { Email = email, Password = Password, DisplayName = "Console" });
        var owner = ReadsBenchmark.WithToken(channel, signUp.Token);
        var workspaces = new WorkspaceService.WorkspaceServiceClient(owner);
        var workspaceId = (await workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest { Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite })).Workspace.WorkspaceId;
        var collector = (await workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspaceId, DisplayName = "hosts" })).Token;

        var username = $"acme{Guid.NewGuid():N}"[..16];
        var registered = await new BillingAccountService.BillingAccountServiceClient(channel).RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = Password, Email = $"{username}@example.com", DisplayName = "Acme Finance",
        });
        var accountId = registered.BillingAccount.BillingAccountId;
        var billing = ReadsBenchmark.WithToken(channel, registered.Token);
        var code = (await new BillingAccountService.BillingAccountServiceClient(billing).CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = accountId })).BindingCode;
        await new SettlementService.SettlementServiceClient(owner).UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspaceId, BindingCode = code });
        await new BillingAccountService.BillingAccountServiceClient(operatorCalls).RechargeAsync(new RechargeRequest
        {
            BillingAccountId = accountId, Amount = MoneyAmounts.FromDecimal(10_000m), RequestId = Guid.NewGuid().ToString(),
            PaymentMethod = PaymentMethod.BankTransfer, PaymentReference = "BENCHMARK-1",
        });
        await new TicketService.TicketServiceClient(billing).CreateTicketAsync(new CreateTicketRequest
        {
            BillingAccountId = accountId, Type = TicketType.BillingQuestion, Title = "Yesterday's bill",
            Description = "Why did the logs cost more yesterday?", RequestId = Guid.NewGuid().ToString(),
        });

        // Each day: the clock moves to its 22:30 (site time; the jobs close the day before on the way), and one
        // report carries the day's usage every 3 hours; today's up to the end.
        var reports = new UsageService.UsageServiceClient(ReadsBenchmark.WithToken(channel, collector));
        long sequence = 0;
        for (var day = StartOf(end, days); day < end; day = day.AddDays(1))
        {
            var closing = day.AddHours(22.5) < end ? day.AddHours(22.5) : end;
            await MoveClockAsync(settlement, closing);
            var request = new ReportUsageRequest { CollectorId = "console-benchmark", Sequence = ++sequence };
            for (var at = day.AddMinutes(30); at <= closing; at = at.AddHours(3))
            {
                var variation = (at.Hour + sequence) % 7;
                request.Records.AddRange(Usage.Select(u => new UsageRecord
                {
                    Item = u.Item, Quantity = u.Quantity + variation * u.Quantity / 10, ObservedAt = Timestamp.FromDateTimeOffset(at),
                }));
            }
            await reports.ReportUsageAsync(request);
        }
        await MoveClockAsync(settlement, end);

        var lastMonth = TimeZoneInfo.ConvertTime(end, Shanghai).AddMonths(-1);
        var monthlyBills = new MonthlyBillService.MonthlyBillServiceClient(operatorCalls);
        try
        {
            await monthlyBills.GenerateMonthlyBillsAsync(new GenerateMonthlyBillsRequest { Year = lastMonth.Year, Month = lastMonth.Month });
        }
        catch (RpcException error)
        {
            // Before the 3rd of a month last month's bills are not due yet: the page shows none.
            Console.WriteLine($"  no monthly bill of {lastMonth:yyyy-MM}: {error.Status.Detail}");
        }
        var bills = (await monthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest { BillingAccountId = accountId })).MonthlyBills;
        return new ConsoleSeed(email, workspaceId, collector, username, bills.Count > 0 ? bills[0].MonthlyBillId : null);
    }

    private static async Task MoveClockAsync(SettlementService.SettlementServiceClient settlement, DateTimeOffset target)
    {
        var now = (await settlement.GetClockAsync(new GetClockRequest())).Now.ToDateTimeOffset();
        if (target > now)
        {
            await settlement.AdvanceClockAsync(new AdvanceClockRequest { TargetTime = Timestamp.FromDateTimeOffset(target) }, deadline: DateTime.UtcNow.AddMinutes(5));
        }
    }
}
