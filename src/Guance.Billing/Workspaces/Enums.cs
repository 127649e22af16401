namespace Guance.Billing.Workspaces;

// The numeric values equal those of the contract's enums, so mapping is a cast.

/// <summary>The cloud that operates a site or serves a marketplace.</summary>
public enum CloudProvider
{
    AlibabaCloud = 1,
    Aws = 2,
    HuaweiCloud = 3,
}

/// <summary>Which price list a site uses.</summary>
public enum PriceRegion
{
    Cn = 1,
    Intl = 2,
}

public static class PriceRegions
{
    /// <summary>The region as people say it: "China" or "international".</summary>
    public static string Name(this PriceRegion region) => region == PriceRegion.Cn ? "China" : "international";
}

/// <summary>How a workspace was activated.</summary>
public enum ActivationChannel
{
    OfficialWebsite = 1,
    AlibabaCloudMarketplace = 2,
    AwsMarketplace = 3,
    HuaweiCloudMarketplace = 4,
}

/// <summary>The plan of a workspace.</summary>
public enum Plan
{
    Experience = 1,
    Commercial = 2,
}

/// <summary>The state of a workspace.</summary>
public enum WorkspaceState
{
    Active = 1,
    Dissolved = 2,
}

/// <summary>A member's role inside a workspace.</summary>
public enum WorkspaceRole
{
    Owner = 1,
    Administrator = 2,
    Standard = 3,
    ReadOnly = 4,
}

/// <summary>A kind of data whose retention the Owner chooses.</summary>
public enum DataType
{
    Metrics = 1,
    Logs = 2,
    Apm = 3,
    Rum = 4,
}
