using System.Diagnostics.CodeAnalysis;

namespace Guance.Billing.Workspaces;

/// <summary>The sites of docs/domain.md §2. China sites keep UTC+8 (Asia/Shanghai, Asia/Hong_Kong).</summary>
public static class Sites
{
    public static readonly IReadOnlyList<Site> All =
    [
        new("cn1", "China 1 (Hangzhou)", CloudProvider.AlibabaCloud, "Asia/Shanghai", PriceRegion.Cn),
        new("cn2", "China 2 (Ningxia)", CloudProvider.Aws, "Asia/Shanghai", PriceRegion.Cn),
        new("cn4", "China 4 (Guangzhou)", CloudProvider.HuaweiCloud, "Asia/Shanghai", PriceRegion.Cn),
        new("cn6", "China 6 (Hong Kong)", CloudProvider.AlibabaCloud, "Asia/Hong_Kong", PriceRegion.Intl),
        new("us1", "Overseas 1 (Oregon)", CloudProvider.Aws, "America/Los_Angeles", PriceRegion.Intl),
        new("eu1", "Europe 1 (Frankfurt)", CloudProvider.Aws, "Europe/Berlin", PriceRegion.Intl),
        new("ap1", "Asia-Pacific 1 (Singapore)", CloudProvider.Aws, "Asia/Singapore", PriceRegion.Intl),
    ];

    private static readonly Dictionary<string, Site> ByCode = All.ToDictionary(s => s.Code, StringComparer.Ordinal);

    public static bool TryGet(string code, [NotNullWhen(true)] out Site? site) => ByCode.TryGetValue(code, out site);

    public static Site Get(string code) =>
        ByCode.TryGetValue(code, out var site) ? site : throw new InvalidOperationException($"Unknown site '{code}'.");

    /// <summary>China sites (synthetic tests are free only there, SMS is offered only there).</summary>
    public static bool IsChina(Site site) => site.Code.StartsWith("cn", StringComparison.Ordinal);
}
