using Grpc.Core;
using Guance.Billing.Cloud;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.V1;
using Guance.Billing.Wallets;

namespace Guance.Billing.Host.Services;

/// <summary>CloudMarketplaceService: metering records for the marketplaces, and their cancellation notices.</summary>
public sealed class CloudMarketplaceGrpcService(CloudMarketplace marketplace, CloudSubscriptions subscriptions, HuaweiCardOrders huaweiCardOrders)
    : CloudMarketplaceService.CloudMarketplaceServiceBase
{
    public override async Task<ListCloudMeteringRecordsResponse> ListCloudMeteringRecords(ListCloudMeteringRecordsRequest request, ServerCallContext context)
    {
        var (batches, next) = await marketplace.ListAsync(context.GetCaller(), (Workspaces.CloudProvider)request.Provider, request.CloudAccountId,
            request.PageSize, request.PageToken, context.CancellationToken, request.Expired, request.MeteredTwice);
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

    public override async Task<ReissueCloudMeteringRecordResponse> ReissueCloudMeteringRecord(ReissueCloudMeteringRecordRequest request, ServerCallContext context)
    {
        var reissue = await marketplace.ReissueAsync(context.GetCaller(), request.RecordId, context.CancellationToken);
        return new ReissueCloudMeteringRecordResponse
        {
            Record = reissue.Record.ToMessage(),
            Replacement = reissue.Replacement?.ToMessage(),
            Replayed = reissue.Replayed,
        };
    }

    public override async Task<CancelCloudSubscriptionResponse> CancelCloudSubscription(CancelCloudSubscriptionRequest request, ServerCallContext context)
    {
        var (account, workspaces) = await subscriptions.CancelAsync(context.GetCaller(), request.CloudAccountId, context.CancellationToken);
        var response = new CancelCloudSubscriptionResponse { CloudAccountId = account.Id, Provider = (V1.CloudProvider)account.Provider };
        response.Workspaces.Add(workspaces.Select(w => w.ToMessage()));
        return response;
    }

    public override async Task<ConfirmHuaweiCardOrderResponse> ConfirmHuaweiCardOrder(ConfirmHuaweiCardOrderRequest request, ServerCallContext context)
    {
        var confirmation = await huaweiCardOrders.ConfirmAsync(context.GetCaller(), request.OrderNumber, request.Units,
            request.ExpireTime.ToOptionalInstant("expire_time"), context.CancellationToken);
        return new ConfirmHuaweiCardOrderResponse
        {
            Order = confirmation.Order.ToMessage(),
            PrepaidCard = confirmation.Card.ToMessage(),
            ArrearsPaid = confirmation.ArrearsPaid.ToMoney(),
        };
    }

    public override async Task<RejectHuaweiCardOrderResponse> RejectHuaweiCardOrder(RejectHuaweiCardOrderRequest request, ServerCallContext context)
    {
        var order = await huaweiCardOrders.RejectAsync(context.GetCaller(), request.OrderNumber, request.Reason, context.CancellationToken);
        return new RejectHuaweiCardOrderResponse { Order = order.ToMessage() };
    }
}
