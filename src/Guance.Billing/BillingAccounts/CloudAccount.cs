using Guance.Billing.Workspaces;

namespace Guance.Billing.BillingAccounts;

/// <summary>
/// A cloud-marketplace account of a billing account, through which workspaces may settle. Removal
/// keeps the row (metering records refer to it); an active one is unique across all billing accounts.
/// </summary>
public sealed class CloudAccount
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }
    public CloudProvider Provider { get; init; }

    /// <summary>The account ID at the cloud.</summary>
    public required string ProviderAccountId { get; init; }

    /// <summary>The marketplace instance (Alibaba, Huawei) or product/customer (AWS) ID.</summary>
    public required string MarketplaceInstanceId { get; init; }

    public string DisplayName { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RemovedAt { get; set; }
}
