using System.Globalization;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Settlement;

/// <summary>
/// Which settlement methods a workspace may use (docs/domain.md §7), as pure functions:
/// <list type="bullet">
/// <item>an operator's arbitrary selection allows every method;</item>
/// <item>a workspace activated through a cloud marketplace settles only through that cloud;</item>
/// <item>otherwise the site decides: China 4 (Huawei-operated) the billing center only, Alibaba-operated
/// sites the billing center or Alibaba Cloud, AWS-operated sites the billing center or AWS.</item>
/// </list>
/// The method changes at most once per site-local calendar month.
/// </summary>
public static class SettlementMethodRules
{
    public static IReadOnlyList<SettlementMethod> Allowed(Site site, ActivationChannel channel, bool arbitrarySelection)
    {
        if (arbitrarySelection)
        {
            return SettlementMethods.All;
        }
        if (ActivationChannels.MarketplaceOf(channel) is { } marketplace)
        {
            return [SettlementMethods.Of(marketplace)];
        }
        return site.CloudProvider switch
        {
            CloudProvider.AlibabaCloud => [SettlementMethod.BillingCenter, SettlementMethod.AlibabaCloud],
            CloudProvider.Aws => [SettlementMethod.BillingCenter, SettlementMethod.Aws],
            _ => [SettlementMethod.BillingCenter],
        };
    }

    /// <summary>Why <paramref name="method"/> is not allowed, for the error a refused change carries.</summary>
    public static string WhyNot(Site site, ActivationChannel channel, SettlementMethod method)
    {
        if (ActivationChannels.MarketplaceOf(channel) is { } marketplace)
        {
            return $"The workspace was activated through the {Cloud(marketplace)} marketplace, so it settles only through {SettlementMethods.Of(marketplace).Name()}, not {method.Name()}.";
        }
        var allowed = Allowed(site, channel, arbitrarySelection: false);
        return $"Site {site.Code} ({site.DisplayName}) allows {string.Join(" or ", allowed.Select(m => m.Name()))}, not {method.Name()}; only an operator can allow any method.";
    }

    /// <summary>The site-local calendar month of an instant, for example <c>2026-11</c>: at most one method change in each.</summary>
    public static string MonthOf(Site site, DateTimeOffset at) =>
        site.BillingDayOf(at).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The first site-local day on which the method may change again after a change at <paramref name="changedAt"/>.</summary>
    public static DateOnly NextChangeDay(Site site, DateTimeOffset? changedAt, DateTimeOffset now)
    {
        var today = site.BillingDayOf(now);
        if (changedAt is not { } at || MonthOf(site, at) != MonthOf(site, now))
        {
            return today;
        }
        var changed = site.BillingDayOf(at);
        return new DateOnly(changed.Year, changed.Month, 1).AddMonths(1);
    }

    private static string Cloud(CloudProvider provider) => provider switch
    {
        CloudProvider.AlibabaCloud => "Alibaba Cloud",
        CloudProvider.Aws => "AWS",
        _ => "Huawei Cloud",
    };
}
