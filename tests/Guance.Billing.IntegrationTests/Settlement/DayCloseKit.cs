using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PriceListEntry = Guance.Billing.Pricing.PriceListEntry;
using PriceListRow = Guance.Billing.Pricing.PriceList;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// Helpers of the day-close tests: a collector that reports with increasing sequences, site-local
/// times written by hand (UTC+8 for China sites, UTC-8 for Oregon in November), and the fake clock
/// moved forward only.
/// </summary>
public static class DayCloseKit
{
    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>Oregon keeps Pacific Standard Time (UTC-8) from 2026-11-01 to 2027-03-14.</summary>
    public static readonly TimeSpan Oregon = TimeSpan.FromHours(-8);

    /// <summary>A site-local wall-clock time of <paramref name="day"/> at the given UTC offset.</summary>
    public static DateTimeOffset Local(DateOnly day, TimeSpan offset, int hour, int minute = 0) =>
        new(day.Year, day.Month, day.Day, hour, minute, 0, offset);

    /// <summary>The site-local day after the one the clock is in now: a day wholly after anything a test does now.</summary>
    public static DateOnly NextDay(this BillingHost host, TimeSpan offset) =>
        DateOnly.FromDateTime(host.Clock.GetUtcNow().ToOffset(offset).DateTime).AddDays(1);

    public static UsageRecord Record(BillingItem item, long quantity, DateTimeOffset observedAt) =>
        new() { Item = item, Quantity = quantity, ObservedAt = Timestamp.FromDateTimeOffset(observedAt) };

    /// <summary>A collector of the workspace that reports batches with its own increasing sequence.</summary>
    public static async Task<Agent> AgentAsync(this BillingHost host, TestWorkspace workspace)
    {
        var created = await workspace.Owner.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.Id, DisplayName = "agents" });
        return new Agent(host.Api(created.Token), "agent-" + Guid.NewGuid().ToString("N")[..8]);
    }

    /// <summary>
    /// A host whose database statements <paramref name="counter"/> counts, charging one batch of a close at a
    /// time, so that a test can count a close's statements.
    /// </summary>
    public static BillingHost CountingStatements(StatementCounter counter)
    {
        var host = new BillingHost { ConfigureServices = s => s.ConfigureDbContext<BillingDbContext>((_, b) => b.AddInterceptors(counter)) };
        host.Settings["Guance:Settlement:ChargeParallelism"] = "1";
        return host;
    }

    /// <summary><paramref name="count"/> commercial workspaces of cn1, each with the billing account that pays it and an agent.</summary>
    public static async Task<List<(TestWorkspace Workspace, TestBillingAccount Payer, Agent Agent)>> PayingWorkspacesAsync(this BillingHost host, int count)
    {
        var payers = new List<(TestWorkspace Workspace, TestBillingAccount Payer, Agent Agent)>();
        for (var i = 0; i < count; i++)
        {
            var workspace = await host.CreateWorkspaceAsync("cn1");
            var payer = await host.UpgradeAsync(workspace);
            payers.Add((workspace, payer, await host.AgentAsync(workspace)));
        }
        return payers;
    }

    public static async Task<Wallet> FundedWalletAsync(this BillingHost host, TestBillingAccount account, decimal cash)
    {
        await host.RechargeAsync(account.Id, cash);
        return await host.WalletAsync(account.Id);
    }

    /// <summary>A fresh session of the account (a session expires after hours; the tests move the clock by days).</summary>
    public static async Task<TestBillingAccount> SignInAgainAsync(this BillingHost host, TestBillingAccount account)
    {
        var signedIn = await host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = account.Username, Password = account.Password });
        return account with { Token = signedIn.Token, Api = host.Api(signedIn.Token) };
    }

    /// <summary>
    /// A copy of price list <paramref name="copyOf"/> in force from <paramref name="effectiveFrom"/>,
    /// written to the database: CreatePriceList never prices a day that has begun.
    /// </summary>
    public static async Task InsertPriceListAsync(this BillingHost host, string id, string copyOf, DateOnly effectiveFrom)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var original = await db.PriceLists.AsNoTracking().SingleAsync(p => p.Id == copyOf);
        db.PriceLists.Add(new PriceListRow
        {
            Id = id, Region = original.Region, EffectiveFrom = effectiveFrom, Description = "test", CreatedAt = host.Clock.GetUtcNow(),
        });
        var entries = await db.PriceListEntries.AsNoTracking().Where(e => e.PriceListId == copyOf).ToListAsync();
        db.PriceListEntries.AddRange(entries.Select(e => new PriceListEntry
        {
            PriceListId = id, Item = e.Item, RetentionDays = e.RetentionDays, UnitPriceMicros = e.UnitPriceMicros,
        }));
        await db.SaveChangesAsync();
    }

    /// <summary>The line of an item in a bill.</summary>
    public static DailyBillLine Line(this DailyBill bill, BillingItem item) => bill.Lines.Single(l => l.Item == item);

    /// <summary>Asserts a line: quantity, units, unit price and amount (cents), from a hand calculation.</summary>
    public static void AssertLine(this DailyBill bill, BillingItem item, long quantity, string units, decimal unitPrice, long amountCents, int? retentionDays = null)
    {
        var line = bill.Line(item);
        Assert.True(quantity == line.Quantity, $"{item}: quantity {line.Quantity}, expected {quantity}");
        Assert.True(units == line.Units, $"{item}: units {line.Units}, expected {units}");
        Assert.True(unitPrice == line.UnitPrice.Units + line.UnitPrice.Nanos / 1_000_000_000m, $"{item}: unit price {line.UnitPrice}, expected {unitPrice}");
        Assert.True(amountCents == line.Amount.Cents(), $"{item}: amount {line.Amount.Cents()} cents, expected {amountCents}");
        if (retentionDays is { } days)
        {
            Assert.Equal(days, line.RetentionDays);
        }
    }
}

/// <summary>A collector: its clients and id, and the next sequence it sends.</summary>
public sealed class Agent(Api api, string collectorId)
{
    private long _sequence;

    public Api Api => api;

    public async Task<ReportUsageResponse> ReportAsync(params UsageRecord[] records)
    {
        var request = new ReportUsageRequest { CollectorId = collectorId, Sequence = Interlocked.Increment(ref _sequence) };
        request.Records.Add(records);
        return await api.Usage.ReportUsageAsync(request);
    }
}
