namespace Guance.Billing.Workspaces;

/// <summary>Where a workspace may be activated (docs/domain.md §2): on the official website, or on the marketplace of the cloud that operates its site.</summary>
public static class ActivationChannels
{
    /// <summary>The cloud of a marketplace activation, or null for the official website.</summary>
    public static CloudProvider? MarketplaceOf(ActivationChannel channel) => channel switch
    {
        ActivationChannel.AlibabaCloudMarketplace => CloudProvider.AlibabaCloud,
        ActivationChannel.AwsMarketplace => CloudProvider.Aws,
        ActivationChannel.HuaweiCloudMarketplace => CloudProvider.HuaweiCloud,
        _ => null,
    };

    /// <summary>The marketplace channel of the cloud that operates <paramref name="site"/>.</summary>
    public static ActivationChannel MarketplaceOf(Site site) => site.CloudProvider switch
    {
        CloudProvider.AlibabaCloud => ActivationChannel.AlibabaCloudMarketplace,
        CloudProvider.Aws => ActivationChannel.AwsMarketplace,
        _ => ActivationChannel.HuaweiCloudMarketplace,
    };

    /// <summary>Whether a workspace of <paramref name="site"/> can have been activated through <paramref name="channel"/>.</summary>
    public static bool Fits(ActivationChannel channel, Site site) =>
        channel == ActivationChannel.OfficialWebsite || MarketplaceOf(channel) == site.CloudProvider;

    /// <summary>The channel as the contract names it, for errors.</summary>
    public static string ContractName(ActivationChannel channel) => channel switch
    {
        ActivationChannel.OfficialWebsite => "ACTIVATION_CHANNEL_OFFICIAL_WEBSITE",
        ActivationChannel.AlibabaCloudMarketplace => "ACTIVATION_CHANNEL_ALIBABA_CLOUD_MARKETPLACE",
        ActivationChannel.AwsMarketplace => "ACTIVATION_CHANNEL_AWS_MARKETPLACE",
        _ => "ACTIVATION_CHANNEL_HUAWEI_CLOUD_MARKETPLACE",
    };
}
