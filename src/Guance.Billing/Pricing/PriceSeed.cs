using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Pricing;

/// <summary>
/// The prices of docs/domain.md §4, in force from 2024-01-01: what migration 0004 seeds. Frozen (the
/// migration is history; only the lists' descriptions were reworded since, and databases migrated
/// before keep the older wording); later prices are new lists made with CreatePriceList. The retired
/// DataKit item is priced at 3 CNY per DataKit per day on both lists (it is off unless enabled).
/// </summary>
public static class PriceSeed
{
    public static readonly DateOnly EffectiveFrom = new(2024, 1, 1);
    public static readonly DateTimeOffset CreatedAt = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string CnListId = "pl_01hk153x000000000000000001";
    public const string IntlListId = "pl_01hk153x000000000000000002";

    public static IReadOnlyList<PriceList> Lists { get; } =
    [
        new() { Id = CnListId, Region = PriceRegion.Cn, EffectiveFrom = EffectiveFrom, Description = "CN prices of 2024-01-01", CreatedAt = CreatedAt },
        new() { Id = IntlListId, Region = PriceRegion.Intl, EffectiveFrom = EffectiveFrom, Description = "Intl prices of 2024-01-01", CreatedAt = CreatedAt },
    ];

    public static IReadOnlyList<PriceListEntry> Entries { get; } = Build();

    private static List<PriceListEntry> Build()
    {
        var entries = new List<PriceListEntry>();
        void Tiers(string list, BillingItem item, int[] days, decimal[] prices)
        {
            for (var i = 0; i < days.Length; i++)
            {
                entries.Add(new PriceListEntry { PriceListId = list, Item = item, RetentionDays = days[i], UnitPriceMicros = Micros(prices[i]) });
            }
        }
        void Flat(string list, BillingItem item, decimal price) =>
            entries.Add(new PriceListEntry { PriceListId = list, Item = item, RetentionDays = PriceTiers.AnyRetention, UnitPriceMicros = Micros(price) });

        int[] metrics = [3, 7, 14, 30, 180, 360];
        int[] fiveTiers = [3, 7, 14, 30, 60];
        int[] profile = [3, 7, 14];

        Tiers(CnListId, BillingItem.TimeSeries, metrics, [0.6m, 0.7m, 0.8m, 1m, 4m, 7m]);
        Tiers(CnListId, BillingItem.Logs, fiveTiers, [1m, 1.2m, 1.5m, 2m, 2.5m]);
        Tiers(CnListId, BillingItem.ApmTrace, fiveTiers, [2m, 3m, 6m, 10.8m, 19.44m]);
        Tiers(CnListId, BillingItem.ApmProfile, profile, [0.2m, 0.3m, 0.5m]);
        Tiers(CnListId, BillingItem.RumPv, fiveTiers, [0.7m, 1m, 2m, 3.6m, 6.48m]);
        Flat(CnListId, BillingItem.SessionReplay, 2.5m);
        Flat(CnListId, BillingItem.NetworkHosts, 2m);
        Flat(CnListId, BillingItem.SyntheticTests, 1m);
        Flat(CnListId, BillingItem.Triggers, 1m);
        Flat(CnListId, BillingItem.Sms, 1m);
        Flat(CnListId, BillingItem.BackupLogs, 0.007m);
        Flat(CnListId, BillingItem.DataKit, 3m);

        Tiers(IntlListId, BillingItem.TimeSeries, metrics, [1.6m, 1.8m, 2.2m, 2.4m, 8m, 14m]);
        Tiers(IntlListId, BillingItem.Logs, fiveTiers, [2m, 2.4m, 3m, 4m, 5m]);
        Tiers(IntlListId, BillingItem.ApmTrace, fiveTiers, [6m, 10m, 20m, 36m, 64.8m]);
        Tiers(IntlListId, BillingItem.ApmProfile, profile, [0.4m, 0.6m, 1m]);
        Tiers(IntlListId, BillingItem.RumPv, fiveTiers, [2m, 3m, 5m, 9m, 16.2m]);
        Flat(IntlListId, BillingItem.SessionReplay, 2.5m);
        Flat(IntlListId, BillingItem.NetworkHosts, 4m);
        Flat(IntlListId, BillingItem.SyntheticTests, 10m);
        Flat(IntlListId, BillingItem.Triggers, 2m);
        Flat(IntlListId, BillingItem.BackupLogs, 0.014m);
        Flat(IntlListId, BillingItem.DataKit, 3m);
        return entries;
    }

    private static long Micros(decimal cny) => (long)(cny * Rating.MicrosPerUnit);
}
