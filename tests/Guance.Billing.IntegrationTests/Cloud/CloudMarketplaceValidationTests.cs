using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Cloud;

/// <summary>Every CloudMarketplaceService RPC: operator only, its bad input as exact field violations, unknown ids.</summary>
public sealed class CloudMarketplaceValidationTests : IClassFixture<BillingHost>
{
    private const string UnknownCloudAccountId = "ca_00000000000000000000000000";
    private const string UnknownRecordId = "cmr_00000000000000000000000000000000";
    private readonly BillingHost host;

    public CloudMarketplaceValidationTests(BillingHost host) => this.host = host;

    private static AcknowledgeCloudMeteringRecordsRequest Ack(params CloudMeteringResult[] results)
    {
        var request = new AcknowledgeCloudMeteringRecordsRequest();
        request.Results.Add(results);
        return request;
    }

    [Fact]
    public async Task Only_the_operator_may_call_the_marketplace_rpcs()
    {
        var workspace = await host.CreateWorkspaceAsync("cn2");
        var account = await host.RegisterBillingAccountAsync("market");
        foreach (var api in new[] { workspace.Owner.Api, account.Api })
        {
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => api.CloudMarketplace.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest { Provider = CloudProvider.Aws }), "OPERATOR_REQUIRED");
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => api.CloudMarketplace.AcknowledgeCloudMeteringRecordsAsync(
                Ack(new CloudMeteringResult { RecordId = UnknownRecordId, Outcome = MeteringOutcome.Sent })), "OPERATOR_REQUIRED");
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => api.CloudMarketplace.CancelCloudSubscriptionAsync(
                new CancelCloudSubscriptionRequest { CloudAccountId = UnknownCloudAccountId }), "OPERATOR_REQUIRED");
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => api.CloudMarketplace.ReissueCloudMeteringRecordAsync(
                new ReissueCloudMeteringRecordRequest { RecordId = UnknownRecordId }), "OPERATOR_REQUIRED");
        }
        var anonymous = host.Api().CloudMarketplace;
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => anonymous.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest { Provider = CloudProvider.Aws }), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => anonymous.AcknowledgeCloudMeteringRecordsAsync(Ack()), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => anonymous.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest()), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => anonymous.ReissueCloudMeteringRecordAsync(new ReissueCloudMeteringRecordRequest()), "TOKEN_MISSING");
    }

    [Fact]
    public async Task Reissue_refuses_a_malformed_or_unknown_record()
    {
        var market = host.Operator.CloudMarketplace;
        await RpcAssert.InvalidFields(() => market.ReissueCloudMeteringRecordAsync(new ReissueCloudMeteringRecordRequest { RecordId = "cmr_XYZ" }), "record_id");
        await RpcAssert.InvalidFields(() => market.ReissueCloudMeteringRecordAsync(new ReissueCloudMeteringRecordRequest()), "record_id");
        await RpcAssert.Fails(StatusCode.NotFound, () => market.ReissueCloudMeteringRecordAsync(new ReissueCloudMeteringRecordRequest { RecordId = UnknownRecordId }),
            "METERING_RECORD_NOT_FOUND");
    }

    [Fact]
    public async Task List_refuses_bad_filters_and_pages()
    {
        var market = host.Operator.CloudMarketplace;
        await RpcAssert.InvalidFields(() => market.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest
        {
            Provider = CloudProvider.Unspecified, CloudAccountId = "nope", PageSize = -1, PageToken = "x",
        }), "provider", "cloud_account_id", "page_size", "page_token");
        await RpcAssert.InvalidFields(() => market.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest { Provider = (CloudProvider)9, PageSize = 1001 }),
            "provider", "page_size");
        await RpcAssert.Fails(StatusCode.NotFound, () => market.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest
        {
            Provider = CloudProvider.Aws, CloudAccountId = UnknownCloudAccountId,
        }), "CLOUD_ACCOUNT_NOT_FOUND");

        var account = await host.RegisterBillingAccountAsync("market");
        var aws = (await account.Client.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = account.Id, Provider = CloudProvider.Aws, ProviderAccountId = "210987654321", MarketplaceInstanceId = $"prod-{Guid.NewGuid():N}",
        })).CloudAccount;
        await RpcAssert.Precondition(() => market.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest
        {
            Provider = CloudProvider.HuaweiCloud, CloudAccountId = aws.CloudAccountId,
        }), "CLOUD_PROVIDER_MISMATCH");
        Assert.Empty((await market.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest { Provider = CloudProvider.Aws, CloudAccountId = aws.CloudAccountId })).Batches);
    }

    [Fact]
    public async Task Acknowledge_refuses_bad_results_and_unknown_records()
    {
        var market = host.Operator.CloudMarketplace;
        await RpcAssert.InvalidFields(() => market.AcknowledgeCloudMeteringRecordsAsync(Ack()), "results");
        await RpcAssert.InvalidFields(() => market.AcknowledgeCloudMeteringRecordsAsync(Ack(
            new CloudMeteringResult { RecordId = "cmr_x", Outcome = MeteringOutcome.Sent },
            new CloudMeteringResult { RecordId = UnknownRecordId, Outcome = MeteringOutcome.Unspecified },
            new CloudMeteringResult { RecordId = UnknownRecordId, Outcome = MeteringOutcome.Failed },
            new CloudMeteringResult { RecordId = "cmr_11111111111111111111111111111111", Outcome = MeteringOutcome.Failed },
            new CloudMeteringResult { RecordId = "cmr_22222222222222222222222222222222", Outcome = MeteringOutcome.Sent, FailureReason = "why" },
            new CloudMeteringResult { RecordId = "cmr_33333333333333333333333333333333", Outcome = MeteringOutcome.Failed, FailureReason = new string('r', 513) })),
            "results[0].record_id", "results[1].outcome", "results[2].record_id", "results[2].failure_reason", "results[3].failure_reason", "results[4].failure_reason", "results[5].failure_reason");
        await RpcAssert.Fails(StatusCode.NotFound, () => market.AcknowledgeCloudMeteringRecordsAsync(
            Ack(new CloudMeteringResult { RecordId = UnknownRecordId, Outcome = MeteringOutcome.Sent })), "METERING_RECORD_NOT_FOUND");
    }

    [Fact]
    public async Task Cancel_refuses_a_bad_or_unknown_cloud_account()
    {
        var market = host.Operator.CloudMarketplace;
        await RpcAssert.InvalidFields(() => market.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest()), "cloud_account_id");
        await RpcAssert.InvalidFields(() => market.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest { CloudAccountId = "ws_123" }), "cloud_account_id");
        await RpcAssert.Fails(StatusCode.NotFound, () => market.CancelCloudSubscriptionAsync(
            new CancelCloudSubscriptionRequest { CloudAccountId = UnknownCloudAccountId }), "CLOUD_ACCOUNT_NOT_FOUND");
    }
}
