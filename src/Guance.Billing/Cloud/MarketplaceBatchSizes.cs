using Guance.Billing.Workspaces;

namespace Guance.Billing.Cloud;

/// <summary>How many metering records each marketplace takes in one call (docs/domain.md §7).</summary>
public static class MarketplaceBatchSizes
{
    public static int Of(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => 25,
        CloudProvider.AlibabaCloud => 100,
        CloudProvider.HuaweiCloud => 1000,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };
}
