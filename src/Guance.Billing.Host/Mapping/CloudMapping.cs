using Guance.Billing.Alerts;
using Guance.Billing.Cloud;
using Guance.Billing.Usage;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Metering records, cancellations and consumption alerts as messages of the contract.</summary>
public static class CloudMapping
{
    public static V1.CloudMeteringRecord ToMessage(this CloudMeteringRecord record) => new()
    {
        RecordId = record.Id,
        Provider = (V1.CloudProvider)record.Provider,
        CloudAccountId = record.CloudAccountId,
        BillingAccountId = record.BillingAccountId,
        ProviderAccountId = record.ProviderAccountId,
        MarketplaceInstanceId = record.MarketplaceInstanceId,
        Day = record.BillingDay.ToMessage(),
        Item = (V1.BillingItem)record.Item,
        Dimension = BillingItems.Get(record.Item).Code,
        Part = record.Part,
        Quantity = record.Amount,
        Amount = record.Amount.ToMoney(),
        UsageTime = record.UsageTime.ToTimestamp(),
        Status = (V1.MeteringRecordStatus)record.Status,
        Attempts = record.Attempts,
        FailureReason = record.FailureReason ?? "",
        CreateTime = record.CreatedAt.ToTimestamp(),
        SentTime = record.SentAt.ToTimestamp(),
        ReplacedBy = record.ReplacedBy ?? "",
    };

    public static V1.CloudMeteringBatch ToMessage(this MeteringBatch batch)
    {
        var message = new V1.CloudMeteringBatch { CloudAccountId = batch.CloudAccountId };
        message.Records.Add(batch.Records.Select(r => r.ToMessage()));
        return message;
    }

    public static V1.CancelledWorkspace ToMessage(this CancelledWorkspace workspace) => new()
    {
        WorkspaceId = workspace.WorkspaceId,
        Method = (V1.SettlementMethod)workspace.Method,
        LockTime = workspace.LockAt.ToTimestamp(),
    };

    public static V1.ConsumptionAlert ToMessage(this ConsumptionAlert alert) => new()
    {
        WorkspaceId = alert.WorkspaceId,
        Item = (V1.BillingItem)alert.Item,
        Threshold = alert.Threshold.ToMoney(),
        UpdatedByUserId = alert.UpdatedByUserId ?? "",
        CreateTime = alert.CreatedAt.ToTimestamp(),
        UpdateTime = alert.UpdatedAt.ToTimestamp(),
    };
}
