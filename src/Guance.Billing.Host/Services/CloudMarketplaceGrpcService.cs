using Grpc.Core;
using Guance.Billing.Cloud;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.V1;

namespace Guance.Billing.Host.Services;

/// <summary>CloudMarketplaceService: metering records for the marketplaces, and their cancellation notices.</summary>
public sealed class CloudMarketplaceGrpcService(CloudMarketplace marketplace, CloudSubscriptions subscriptions)
    : CloudMarketplaceService.CloudMarketplaceServiceBase
{
    public override async Task<ListCloudMeteringRecordsResponse> ListCloudMeteringRecords(ListCloudMeteringRecordsRequest request, ServerCallContext context)
    {
        var (batches, next) = await marketplace.ListAsync(context.GetCaller(), (Workspaces.CloudProvider)request.Provider, request.CloudAccountId,
            request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListCloudMeteringRecordsResponse { NextPageToken = next };
        response.Batches.Add(batches.Select(b => b.ToMessage()));
        return response;
    }

    public override async Task<AcknowledgeCloudMeteringRecordsResponse> AcknowledgeCloudMeteringRecords(
        AcknowledgeCloudMeteringRecordsRequest request, ServerCallContext context)
    {
        var results = request.Results.Select(r => new MeteringAcknowledgement(r.RecordId, (Cloud.MeteringOutcome)r.Outcome, r.FailureReason)).ToList();
        var records = await marketplace.AcknowledgeAsync(context.GetCaller(), results, context.CancellationToken);
        var response = new AcknowledgeCloudMeteringRecordsResponse();
        response.Records.Add(records.Select(r => r.ToMessage()));
        return response;
    }

    public override async Task<CancelCloudSubscriptionResponse> CancelCloudSubscription(CancelCloudSubscriptionRequest request, ServerCallContext context)
    {
        var (account, workspaces) = await subscriptions.CancelAsync(context.GetCaller(), request.CloudAccountId, context.CancellationToken);
        var response = new CancelCloudSubscriptionResponse { CloudAccountId = account.Id, Provider = (V1.CloudProvider)account.Provider };
        response.Workspaces.Add(workspaces.Select(w => w.ToMessage()));
        return response;
    }
}
