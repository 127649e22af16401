using Grpc.Core;
using Guance.Billing.Alerts;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.V1;

namespace Guance.Billing.Host.Services;

/// <summary>ConsumptionAlertService: high-consumption thresholds per item of a workspace.</summary>
public sealed class ConsumptionAlertGrpcService(ConsumptionAlerts alerts) : ConsumptionAlertService.ConsumptionAlertServiceBase
{
    public override async Task<SetConsumptionAlertResponse> SetConsumptionAlert(SetConsumptionAlertRequest request, ServerCallContext context)
    {
        var alert = await alerts.SetAsync(context.GetCaller(), request.WorkspaceId, (Usage.BillingItem)request.Item, request.Threshold.ToInput(),
            context.CancellationToken);
        return new SetConsumptionAlertResponse { Alert = alert.ToMessage() };
    }

    public override async Task<ListConsumptionAlertsResponse> ListConsumptionAlerts(ListConsumptionAlertsRequest request, ServerCallContext context)
    {
        var list = await alerts.ListAsync(context.GetCaller(), request.WorkspaceId, context.CancellationToken);
        var response = new ListConsumptionAlertsResponse();
        response.Alerts.Add(list.Select(a => a.ToMessage()));
        return response;
    }

    public override async Task<RemoveConsumptionAlertResponse> RemoveConsumptionAlert(RemoveConsumptionAlertRequest request, ServerCallContext context)
    {
        var removed = await alerts.RemoveAsync(context.GetCaller(), request.WorkspaceId, (Usage.BillingItem)request.Item, context.CancellationToken);
        return new RemoveConsumptionAlertResponse { Removed = removed };
    }
}
