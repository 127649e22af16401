using Guance.Billing.Pricing;
using Guance.Billing.Settlement;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Settlement;

/// <summary>Rating a workspace's day from its daily quantities: the price by retention and region, truncation and rounding. The daily quantity rule (largest hour or sum) is the rollups' and DayCloseTests'.</summary>
public sealed class DailyBillCalculatorTests
{
    private static readonly PriceTable Cn = Table(PriceRegion.Cn);
    private static readonly PriceTable Intl = Table(PriceRegion.Intl);

    private static PriceTable Table(PriceRegion region)
    {
        var list = PriceSeed.Lists.Single(l => l.Region == region);
        return new PriceTable(list, PriceSeed.Entries.Where(e => e.PriceListId == list.Id));
    }

    private static Func<DataType, int?> Retention(params (DataType Type, int Days)[] settings) =>
        type => settings.Where(s => s.Type == type).Select(s => (int?)s.Days).FirstOrDefault();

    private static RatedLine Single(ItemUsage usage, PriceTable prices, Func<DataType, int?>? retention = null) =>
        Assert.Single(DailyBillCalculator.Rate([usage], retention ?? Retention(), prices));

    [Fact]
    public void A_day_quantity_is_priced_at_the_retention_in_force()
    {
        // Time series: 6,000 series (the day's largest hour), 7-day retention: 6.00 units × 0.7 = 4.20.
        var series = Single(new ItemUsage(BillingItem.TimeSeries, 6_000), Cn, Retention((DataType.Metrics, 7)));
        Assert.Equal((6_000L, 600L, 700_000L, 7, 420L), (series.Quantity, series.UnitsHundredths, series.UnitPriceMicros, series.RetentionDays, series.Amount));
        // Logs: 2,500,000 records (the day's sum) at 14 days: 2.50 units × 1.5 = 3.75.
        var logs = Single(new ItemUsage(BillingItem.Logs, 2_500_000), Cn, Retention((DataType.Logs, 14)));
        Assert.Equal((2_500_000L, 250L, 375L), (logs.Quantity, logs.UnitsHundredths, logs.Amount));
    }

    public static TheoryData<PriceRegion, BillingItem, int> EveryPrice()
    {
        var data = new TheoryData<PriceRegion, BillingItem, int>();
        foreach (var region in new[] { PriceRegion.Cn, PriceRegion.Intl })
        {
            foreach (var (item, tier) in PriceTiers.RequiredPrices(region))
            {
                data.Add(region, item.Item, tier);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPrice))]
    public void Every_retention_tier_of_every_item_is_rated_at_its_price_in_both_regions(PriceRegion region, BillingItem item, int tier)
    {
        var info = BillingItems.Get(item);
        var prices = region == PriceRegion.Cn ? Cn : Intl;
        var expected = PriceSeed.Entries.Single(e => e.PriceListId == prices.List.Id && e.Item == item && e.RetentionDays == tier).UnitPriceMicros;
        // 12.34 price units: amount = units × price, half-up to the cent, worked out
        // here in decimals. Items priced per 1 or per 10 cannot reach 12.34: 12 whole items, or 123 SMS = 12.30.
        var quantity = info.PriceUnit * 1234 / 100;
        var units = info.PriceUnit switch { 1 => 12m, 10 => 12.3m, _ => 12.34m };
        var retention = info.RetentionDataType is { } type ? Retention((type, tier)) : Retention();
        var line = Single(new ItemUsage(item, quantity), prices, retention);
        var amount = decimal.Round(units * expected / 1_000_000m, 2, MidpointRounding.AwayFromZero) * 100m;
        Assert.Equal(((long)(units * 100), expected, (long)amount), (line.UnitsHundredths, line.UnitPriceMicros, line.Amount));
    }

    [Theory]
    // docs/domain.md §4: profiles are kept at most 14 days, so APM retention 30 or 60 pays the 14-day profile price.
    [InlineData(30, 10_800_000L, 1_080L)]
    [InlineData(60, 19_440_000L, 1_944L)]
    public void A_longer_apm_retention_pays_the_14_day_profile_price_and_its_own_trace_price(int apmDays, long tracePrice, long traceAmount)
    {
        var lines = DailyBillCalculator.Rate(
            [new ItemUsage(BillingItem.ApmTrace, 1_000_000), new ItemUsage(BillingItem.ApmProfile, 10_000)],
            Retention((DataType.Apm, apmDays)), Cn);
        Assert.Equal([(BillingItem.ApmTrace, tracePrice, apmDays, traceAmount), (BillingItem.ApmProfile, 500_000L, apmDays, 50L)],
            lines.Select(l => (l.Item.Item, l.UnitPriceMicros, l.RetentionDays, l.Amount)));
    }

    [Theory]
    // docs/domain.md §3: on a day with the DataKit item in use, series billed = max(0, series − 300 × DataKits).
    [InlineData(1_000, 2, 400, 28)]   // 0.40 units × 0.7 = 0.28
    [InlineData(1_000, 0, 1_000, 70)] // no DataKit that day: every series is billed
    [InlineData(500, 2, 0, 0)]        // fewer series than included: nothing, never negative
    [InlineData(6_000, 5, 4_500, 315)] // 4.50 units × 0.7 = 3.15
    public void Each_DataKit_of_the_day_includes_300_time_series(long series, long dataKits, long billed, long amountCents)
    {
        var usage = new List<ItemUsage> { new(BillingItem.TimeSeries, series) };
        if (dataKits > 0)
        {
            usage.Add(new ItemUsage(BillingItem.DataKit, dataKits));
        }
        var lines = DailyBillCalculator.Rate(usage, Retention((DataType.Metrics, 7)), Cn).ToDictionary(l => l.Item.Item);
        Assert.Equal((billed, amountCents), (lines[BillingItem.TimeSeries].Quantity, lines[BillingItem.TimeSeries].Amount));
        if (dataKits > 0)
        {
            // The DataKits themselves: 3 CNY each per day.
            Assert.Equal((dataKits, dataKits * 300), (lines[BillingItem.DataKit].Quantity, lines[BillingItem.DataKit].Amount));
        }
    }

    [Fact]
    public void Units_truncate_and_amounts_round_half_up()
    {
        // 1,999 series: 1.99 units (never 2.00) × 0.6 = 1.194 → 1.19.
        Assert.Equal(119, Single(new ItemUsage(BillingItem.TimeSeries, 1_999), Cn, Retention((DataType.Metrics, 3))).Amount);
        // 9 series: 0.00 units → 0.00.
        Assert.Equal(0, Single(new ItemUsage(BillingItem.TimeSeries, 9), Cn, Retention((DataType.Metrics, 3))).Amount);
        // Backup logs at 0.007 per GB: 71.43 GB → 0.50001 → 0.50; 2.15 GB → 0.01505 → 0.02.
        Assert.Equal(50, Single(new ItemUsage(BillingItem.BackupLogs, 71_430_000_000), Cn).Amount);
        Assert.Equal(2, Single(new ItemUsage(BillingItem.BackupLogs, 2_150_000_000), Cn).Amount);
        // Exactly half a cent rounds up: 0.05 thousand session replays × 2.5 = 0.125 → 0.13.
        Assert.Equal(13, Single(new ItemUsage(BillingItem.SessionReplay, 50), Cn).Amount);
    }

    [Fact]
    public void Without_a_retention_row_the_commercial_default_applies()
    {
        // Logs default to 14 days: 1.00 unit × 1.5.
        var line = Single(new ItemUsage(BillingItem.Logs, 1_000_000), Cn);
        Assert.Equal((14, 150L), (line.RetentionDays, line.Amount));
    }

    [Fact]
    public void An_item_the_list_does_not_offer_is_shown_at_price_zero()
    {
        var line = Single(new ItemUsage(BillingItem.Sms, 500), Intl);
        Assert.Equal((500L, 5_000L, 0L, 0L), (line.Quantity, line.UnitsHundredths, line.UnitPriceMicros, line.Amount));
    }

    [Fact]
    public void Lines_come_in_catalog_order_and_sum_to_the_total()
    {
        var lines = DailyBillCalculator.Rate(
            [new ItemUsage(BillingItem.Sms, 100), new ItemUsage(BillingItem.TimeSeries, 2_000), new ItemUsage(BillingItem.Triggers, 20_000)],
            Retention((DataType.Metrics, 7)), Cn);
        Assert.Equal([BillingItem.TimeSeries, BillingItem.Triggers, BillingItem.Sms], lines.Select(l => l.Item.Item));
        // 2.00 × 0.7 = 1.40; 2.00 × 1 = 2.00; 10.00 × 1 = 10.00.
        Assert.Equal(1_340, DailyBillCalculator.Total(lines));
    }
}
