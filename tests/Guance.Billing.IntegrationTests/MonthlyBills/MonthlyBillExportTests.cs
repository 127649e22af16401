using System.Text;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.MonthlyBills;

/// <summary>
/// A monthly bill of 100,000 CSV rows (400 workspaces × 25 days × 10 items, seeded set-based in the
/// database for October 2026), exported through the API: every row arrives, the rows sum to the bill,
/// and the host's managed memory does not grow with the size of the CSV.
/// The memory is that of this test process, so the class runs alone (<see cref="MeasuredAloneCollection"/>):
/// with other test classes running beside it, their hosts' allocations would count as this export's.
/// </summary>
[Collection(MeasuredAloneCollection.Name)]
public sealed class MonthlyBillExportTests(BillingHost host) : IClassFixture<BillingHost>
{
    private const int Workspaces = 400;
    private const int Days = 25;
    private const int Items = 10;

    [Fact]
    public async Task A_bill_of_100000_rows_streams_every_row_in_bounded_memory()
    {
        var account = await host.RegisterBillingAccountAsync("big");
        await host.SeedMonthAsync(account.Id, 2026, 10, Workspaces, Days);
        var run = await host.GenerateAsync(2026, 10);
        Assert.Equal(1, run.Generated);

        var bill = (await account.Api.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest { BillingAccountId = account.Id })).MonthlyBills.Single();
        // Each daily bill: lines of items 1..10 at (item × 7) cents = 7 × 55 = 385 cents;
        // 400 workspaces × 25 days = 10,000 bills × 385 = 3,850,000 cents = 38,500.00.
        Assert.Equal(3_850_000, bill.Total.Cents());
        Assert.Equal(3_850_000, bill.Payments.PaidByCash.Cents());
        Assert.Equal(10_000, bill.DailyBills);
        Assert.Equal(Workspaces, bill.WorkspaceCount);

        // A first export warms the host up (compiled queries, the engine's type handlers and buffers: a
        // fixed cost, whatever the size of the bill), and is not measured.
        using (var warmUp = account.Api.MonthlyBills.ExportMonthlyBill(new ExportMonthlyBillRequest { MonthlyBillId = bill.MonthlyBillId }))
        {
            while (await warmUp.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }

        // Stream it, keeping nothing but counters; sample live managed memory (after a full collection)
        // every few chunks. The host runs in this process, so its buffers would show here.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, bytes = 0, rows = 0, amount = 0, chunks = 0;
        var partial = new StringBuilder();
        string? header = null;
        using (var call = account.Api.MonthlyBills.ExportMonthlyBill(new ExportMonthlyBillRequest { MonthlyBillId = bill.MonthlyBillId }))
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var chunk = call.ResponseStream.Current;
                bytes += chunk.Data.Length;
                var text = chunk.Data.ToStringUtf8();
                Assert.EndsWith("\n", text); // a chunk ends at the end of a row
                var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(chunk.Rows, lines.Length);
                foreach (var line in lines)
                {
                    if (header is null)
                    {
                        header = line;
                        continue;
                    }
                    rows++;
                    amount += MonthlyBillKit.ParseRow(line).AmountCents;
                }
                if (++chunks % 10 == 0)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                }
            }
        }
        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);

        Assert.Equal("workspace_id,site_code,billing_day,item,quantity,units,unit_price,amount,daily_bill_id,workspace_name,item_name,price_unit,currency", header);
        Assert.Equal(Workspaces * Days * Items, rows);
        Assert.Equal(bill.Total.Cents(), amount);
        Assert.True(chunks > 10, $"{chunks} chunks: the CSV should arrive in many chunks");
        // The CSV is about 10 MB (20 MB as .NET strings); held whole, it would show as at least its size.
        Assert.True(bytes > 8_000_000, $"CSV of {bytes} bytes");
        Assert.True(peak < bytes / 4, $"managed memory grew by {peak} bytes during an export of {bytes} bytes");
    }

    [Fact]
    public async Task Rows_are_in_order_with_exact_amounts()
    {
        var account = await host.RegisterBillingAccountAsync("small");
        await host.SeedMonthAsync(account.Id, 2026, 9, workspaces: 2, days: 3);
        await host.GenerateAsync(2026, 9);
        var bill = await account.Api.MonthlyBillAsync(account.Id, 2026, 9);
        var (header, rows) = await account.Api.ExportAsync(bill.MonthlyBillId);

        Assert.StartsWith("workspace_id,", header);
        // 2 workspaces × 3 days × 10 items, by workspace, day, item.
        Assert.Equal(60, rows.Count);
        var expected = rows.OrderBy(r => r.WorkspaceId, StringComparer.Ordinal).ThenBy(r => r.Day, StringComparer.Ordinal)
            .ThenBy(r => Array.IndexOf(ItemOrder, r.Item)).ToList();
        Assert.Equal(expected, rows);
        var first = rows[0];
        // Item 1 (time_series): quantity 1000 at a price per 1,000 → units 1.00, unit price 0.07 → 1 × 0.07 = 0.07 CNY.
        Assert.Equal(("time_series", "Time series"), (first.Item, first.ItemName));
        Assert.Equal(1000, first.Quantity);
        Assert.Equal((1000L, "CNY"), (first.PriceUnit, first.Currency));
        Assert.Equal("1.00", first.Units);
        Assert.Equal("0.070000", first.UnitPrice);
        Assert.Equal(7, first.AmountCents);
        Assert.Equal("2026-09-01", first.Day);
        // 6 bills × 385 cents = 2,310 cents = 23.10.
        Assert.Equal(2_310, rows.Sum(r => r.AmountCents));
        Assert.Equal(bill.Total.Cents(), rows.Sum(r => r.AmountCents));
        foreach (var workspace in bill.Workspaces)
        {
            Assert.Equal(workspace.Total.Cents(), rows.Where(r => r.WorkspaceId == workspace.WorkspaceId).Sum(r => r.AmountCents));
        }
    }

    [Fact]
    public async Task Another_accounts_bill_is_not_found_and_other_callers_are_refused()
    {
        var owner = await host.RegisterBillingAccountAsync("owner");
        var other = await host.RegisterBillingAccountAsync("other");
        await host.SeedMonthAsync(owner.Id, 2026, 8, workspaces: 1, days: 1);
        await host.GenerateAsync(2026, 8);
        var bill = await owner.Api.MonthlyBillAsync(owner.Id, 2026, 8);
        var get = new GetMonthlyBillRequest { MonthlyBillId = bill.MonthlyBillId };
        var export = new ExportMonthlyBillRequest { MonthlyBillId = bill.MonthlyBillId };
        var (console, collector) = await host.ConsoleAndCollectorAsync();

        // Another billing account: NOT_FOUND, for the bill and for its list (ids of other tenants tell nothing).
        await RpcAssert.NotFound(() => other.Api.MonthlyBills.GetMonthlyBillAsync(get));
        await RpcAssert.Fails(StatusCode.NotFound, () => DrainAsync(other.Api, export));
        await RpcAssert.NotFound(() => other.Api.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest { BillingAccountId = owner.Id }));
        // Console users and collectors: PERMISSION_DENIED; no token: UNAUTHENTICATED.
        foreach (var api in new[] { console, collector })
        {
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => api.MonthlyBills.GetMonthlyBillAsync(get), "BILLING_CENTER_ONLY");
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => DrainAsync(api, export), "BILLING_CENTER_ONLY");
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => api.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest { BillingAccountId = owner.Id }));
        }
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().MonthlyBills.GetMonthlyBillAsync(get));
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => DrainAsync(host.Api(), export));
        // Generation is the operator's: a billing account's own session may not.
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => owner.Api.MonthlyBills.GenerateMonthlyBillsAsync(new GenerateMonthlyBillsRequest { Year = 2026, Month = 8 }), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => console.MonthlyBills.GenerateMonthlyBillsAsync(new GenerateMonthlyBillsRequest { Year = 2026, Month = 8 }), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.Unauthenticated,
            () => host.Api().MonthlyBills.GenerateMonthlyBillsAsync(new GenerateMonthlyBillsRequest { Year = 2026, Month = 8 }));
        // The owner and the operator see it.
        Assert.Equal(bill.Total, (await host.Operator.MonthlyBills.GetMonthlyBillAsync(get)).MonthlyBill.Total);
        Assert.Equal(11, (await host.Operator.ExportAsync(bill.MonthlyBillId)).Rows.Count + 1);
    }

    [Fact]
    public async Task Bad_requests_name_their_fields()
    {
        var account = await host.RegisterBillingAccountAsync("checks");
        await RpcAssert.InvalidFields(() => host.Operator.MonthlyBills.GenerateMonthlyBillsAsync(new GenerateMonthlyBillsRequest { Year = 1999, Month = 13 }),
            "year", "month");
        await RpcAssert.InvalidFields(() => host.Operator.MonthlyBills.GenerateMonthlyBillsAsync(new GenerateMonthlyBillsRequest()), "year", "month");
        await RpcAssert.InvalidFields(() => account.Api.MonthlyBills.GetMonthlyBillAsync(new GetMonthlyBillRequest { MonthlyBillId = "nope" }), "monthly_bill_id");
        await RpcAssert.InvalidFields(() => account.Api.MonthlyBills.GetMonthlyBillAsync(new GetMonthlyBillRequest()), "monthly_bill_id");
        await RpcAssert.Fails(StatusCode.InvalidArgument, () => DrainAsync(account.Api, new ExportMonthlyBillRequest { MonthlyBillId = "ba_x" }), "INVALID_ARGUMENT");
        await RpcAssert.InvalidFields(() => account.Api.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest
        {
            BillingAccountId = account.Id, PageSize = -1, PageToken = "garbage",
        }), "page_size", "page_token");
        await RpcAssert.InvalidFields(() => host.Operator.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest()), "billing_account_id");
        // A well-formed id of no bill: NOT_FOUND, for the operator too.
        await RpcAssert.NotFound(() => host.Operator.MonthlyBills.GetMonthlyBillAsync(new GetMonthlyBillRequest { MonthlyBillId = "mb_01kb0000000000000000000000" }));
    }

    private static async Task DrainAsync(Api api, ExportMonthlyBillRequest request)
    {
        using var call = api.MonthlyBills.ExportMonthlyBill(request);
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }
    }

    private static readonly string[] ItemOrder =
        ["time_series", "logs", "backup_logs", "network_hosts", "session_replay", "apm_trace", "apm_profile", "rum_pv", "synthetic_tests", "triggers"];
}
