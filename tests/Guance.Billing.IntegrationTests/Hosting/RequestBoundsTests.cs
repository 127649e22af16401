using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// The edge's bounds: repeated fields are bounded before their elements, answers list at most 100
/// violations, echoed values are capped, strings are bounded, billing days and timestamps are range-checked.
/// </summary>
public sealed class RequestBoundsTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task ListTransactions_with_thousands_of_kinds_is_refused_by_their_count()
    {
        var account = await host.RegisterBillingAccountAsync();
        var request = new ListTransactionsRequest { BillingAccountId = account.Id };
        request.Kinds.Add(Enumerable.Repeat(TransactionKind.Recharge, 32_000));

        var badRequest = await RpcAssert.InvalidFields(() => account.Client.ListTransactionsAsync(request), "kinds");
        Assert.Contains("at most 32", badRequest.FieldViolations[0].Description);

        request.Kinds.Clear();
        request.Kinds.Add(Enumerable.Repeat(TransactionKind.Recharge, 32));
        Assert.Empty((await account.Client.ListTransactionsAsync(request)).Transactions);
    }

    [Fact]
    public async Task ListNotifications_with_thousands_of_kinds_is_refused_by_their_count()
    {
        var request = new ListNotificationsRequest();
        request.Kinds.Add(Enumerable.Repeat((NotificationKind)1, 32_000));

        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.ListNotificationsAsync(request), "kinds");
    }

    [Fact]
    public async Task An_oversized_list_is_refused_by_its_count_alone()
    {
        var account = await host.RegisterBillingAccountAsync();
        var charge = new ChargeRequest { BillingAccountId = account.Id, Reference = "bill-1", Mode = ChargeMode.Wallet };
        charge.Lines.Add(Enumerable.Range(0, 32_000).Select(_ => new ChargeLine { ItemCode = "NOT AN ITEM", Amount = Yuan(-1) }));
        var error = await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.ChargeAsync(charge), "lines");
        Assert.Contains("1 to 100", error.FieldViolations[0].Description);

        var prices = new CreatePriceListRequest { Region = PriceRegion.Cn, EffectiveDay = new BillingDay { Year = 2030, Month = 1, Day = 1 } };
        prices.Prices.Add(Enumerable.Range(0, 32_000).Select(_ => new Price { Item = (BillingItem)999 }));
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.CreatePriceListAsync(prices), "prices");

        var results = new AcknowledgeCloudMeteringRecordsRequest();
        results.Results.Add(Enumerable.Range(0, 32_000).Select(_ => new CloudMeteringResult { RecordId = "nope" }));
        await RpcAssert.InvalidFields(() => host.Operator.CloudMarketplace.AcknowledgeCloudMeteringRecordsAsync(results), "results");
    }

    [Fact]
    public async Task Many_bad_elements_answer_with_the_first_100_violations_and_the_count_of_the_rest()
    {
        var request = new AcknowledgeCloudMeteringRecordsRequest();
        // 1,000 results (the most allowed), each with two bad fields: 2,000 violations.
        request.Results.Add(Enumerable.Range(0, 1000).Select(_ => new CloudMeteringResult { RecordId = "nope", Outcome = MeteringOutcome.Unspecified }));

        var error = await RpcAssert.Fails(StatusCode.InvalidArgument, () => host.Operator.CloudMarketplace.AcknowledgeCloudMeteringRecordsAsync(request), "INVALID_ARGUMENT");

        var status = error.GetRpcStatus()!;
        Assert.Equal(100, status.GetDetail<BadRequest>().FieldViolations.Count);
        Assert.Equal("1900", status.GetDetail<ErrorInfo>().Metadata["omitted_violations"]);
        Assert.Contains("and 1900 more", status.Message);
    }

    [Fact]
    public async Task A_long_update_mask_path_is_echoed_capped()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var path = new string('x', 10_000);
        var request = new UpdateWorkspaceRequest { WorkspaceId = workspace.Id, Workspace = new Workspace { Name = "n" }, UpdateMask = new FieldMask() };
        request.UpdateMask.Paths.Add(path[..1000]);

        var error = await RpcAssert.Fails(StatusCode.InvalidArgument, () => workspace.Owner.Api.Workspaces.UpdateWorkspaceAsync(request));

        Assert.Contains("'" + new string('x', 100) + "…'", error.Status.Detail);
        Assert.DoesNotContain(new string('x', 101), error.Status.Detail);

        request.UpdateMask.Paths.Clear();
        request.UpdateMask.Paths.Add(Enumerable.Repeat("name", 17));
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Workspaces.UpdateWorkspaceAsync(request), "update_mask");
    }

    [Fact]
    public async Task Every_string_of_a_request_is_bounded_and_named_by_its_path()
    {
        await RpcAssert.InvalidFields(() => host.Api().Identity.SignInAsync(new SignInRequest { Email = "a@example.com", Password = new string('p', 1025) }),
            "password");

        var update = new UpdateWorkspaceRequest { WorkspaceId = "ws_x", Workspace = new Workspace { Name = "n" }, UpdateMask = new FieldMask() };
        update.UpdateMask.Paths.Add(new string('x', 10_000));
        var error = await RpcAssert.InvalidFields(() => host.Operator.Workspaces.UpdateWorkspaceAsync(update), "update_mask.paths[0]");
        Assert.True(error.CalculateSize() < 1000);
    }

    [Fact]
    public async Task CloseDay_refuses_a_day_whose_next_day_or_site_times_do_not_exist()
    {
        foreach (var day in new[] { new BillingDay { Year = 9999, Month = 12, Day = 31 }, new BillingDay { Year = 1, Month = 1, Day = 1 } })
        {
            await RpcAssert.InvalidFields(() => host.Operator.Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "us1", Day = day }), "day");
            await RpcAssert.InvalidFields(() => host.Operator.Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = day }), "day");
        }
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest
        {
            BillingAccountId = "ba_00000000000000000000000000", Year = 9999, Month = 12,
        }), "year");
    }

    public static TheoryData<string, Timestamp> BadTimestamps => new()
    {
        { "negative nanos", new Timestamp { Seconds = 1_900_000_000, Nanos = -1 } },
        { "a whole second of nanos", new Timestamp { Seconds = 1_900_000_000, Nanos = 1_000_000_000 } },
        { "before year 1", new Timestamp { Seconds = -62_135_596_801 } },
        { "after year 9999", new Timestamp { Seconds = 253_402_300_800 } },
    };

    [Theory]
    [MemberData(nameof(BadTimestamps))]
    public async Task An_out_of_range_timestamp_is_an_invalid_argument_naming_its_field(string what, Timestamp bad)
    {
        Assert.NotEmpty(what);
        var user = await host.SignUpAsync();
        await RpcAssert.InvalidFields(() => user.Api.Identity.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = "t", ExpireTime = bad }), "expire_time");

        var account = await host.RegisterBillingAccountAsync();
        var billing = host.Operator.BillingAccounts;
        await RpcAssert.InvalidFields(() => billing.IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = account.Id, Kind = VoucherKind.Ordinary, Amount = Yuan(1), StartTime = bad, RequestId = "r1",
        }), "start_time");
        await RpcAssert.InvalidFields(() => billing.IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = account.Id, Kind = VoucherKind.Ordinary, Amount = Yuan(1), ExpireTime = bad, RequestId = "r1",
        }), "expire_time");
        await RpcAssert.InvalidFields(() => billing.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = account.Id, FaceValue = Yuan(100), ExpireTime = bad, RequestId = "r2",
        }), "expire_time");
        await RpcAssert.InvalidFields(() => billing.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = account.Id, FaceValue = Yuan(100), ExpireTime = Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow().AddDays(30)), RequestId = "r2",
            FullReductionVoucher = new FullReductionVoucherGrant { Amount = Yuan(10), ExpireTime = bad },
        }), "full_reduction_voucher.expire_time");
        await RpcAssert.InvalidFields(() => account.Client.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id, StartTime = bad }), "start_time");
        await RpcAssert.InvalidFields(() => account.Client.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id, EndTime = bad }), "end_time");

        var workspace = await host.CreateWorkspaceAsync();
        var points = new ListUsagePointsRequest
        {
            WorkspaceId = workspace.Id, Item = BillingItem.Logs, Granularity = UsagePointGranularity.Hourly,
            StartTime = bad, EndTime = Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow()),
        };
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Usage.ListUsagePointsAsync(points), "start_time");
        points.StartTime = Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow());
        points.EndTime = bad;
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Usage.ListUsagePointsAsync(points), "end_time");
    }
}
