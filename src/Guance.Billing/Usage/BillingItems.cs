using System.Collections.Frozen;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// The catalog of docs/domain.md §2-3. Experience may use exactly the items that have a free daily quota:
/// backup logs and SMS are excluded by the domain, network hosts and the retired DataKit item have
/// no free quota (and the experience plan charges nothing), and synthetic tests are free on China
/// sites only. SMS is not offered on sites of the international price list at all.
/// </summary>
public static class BillingItems
{
    public static readonly IReadOnlyList<BillingItemInfo> All =
    [
        new(BillingItem.TimeSeries, "time_series", "Time series", "active series", 1_000, DailyAggregation.Max, 3_000, false, DataType.Metrics) { ChineseName = "时间线" },
        new(BillingItem.Logs, "logs", "Logs (log-class data)", "records", 1_000_000, DailyAggregation.Sum, 1_000_000, false, DataType.Logs) { ChineseName = "日志类数据" },
        new(BillingItem.BackupLogs, "backup_logs", "Backup logs (data forwarding to storage)", "bytes stored", 1_000_000_000, DailyAggregation.Max, null, false, null) { ChineseName = "备份日志（数据转发至存储）" },
        new(BillingItem.NetworkHosts, "network_hosts", "Network (eBPF hosts)", "hosts", 1, DailyAggregation.Max, null, false, null) { ChineseName = "网络（eBPF 主机）" },
        new(BillingItem.SessionReplay, "session_replay", "Session replay", "sessions", 1_000, DailyAggregation.Max, 1_000, false, null) { ChineseName = "会话重放" },
        new(BillingItem.ApmTrace, "apm_trace", "APM trace", "traces", 1_000_000, DailyAggregation.Sum, 8_000, false, DataType.Apm) { ChineseName = "应用性能监测 Trace" },
        new(BillingItem.ApmProfile, "apm_profile", "APM profile", "profiles", 10_000, DailyAggregation.Sum, 60, false, DataType.Apm) { ChineseName = "应用性能监测 Profile" },
        new(BillingItem.RumPv, "rum_pv", "RUM PV", "page views", 10_000, DailyAggregation.Sum, 2_000, false, DataType.Rum) { ChineseName = "用户访问监测 PV" },
        new(BillingItem.SyntheticTests, "synthetic_tests", "Synthetic tests (dialing)", "calls", 10_000, DailyAggregation.Sum, 200_000, true, null) { ChineseName = "可用性监测（拨测）" },
        new(BillingItem.Triggers, "triggers", "Triggers (task calls)", "calls", 10_000, DailyAggregation.Sum, 100_000, false, null) { ChineseName = "触发器（任务调用）" },
        new(BillingItem.Sms, "sms", "SMS", "messages", 10, DailyAggregation.Sum, null, false, null, CnPriceListOnly: true) { ChineseName = "短信" },
        new(BillingItem.DataKit, "datakit", "DataKit (retired)", "agents alive 12 h or more", 1, DailyAggregation.Max, null, false, null, Retired: true) { ChineseName = "DataKit（已停用）" },
    ];

    private static readonly BillingItemInfo?[] ByNumber = BuildIndex();

    private static readonly FrozenDictionary<string, BillingItemInfo> ByCode = All.ToFrozenDictionary(i => i.Code, StringComparer.Ordinal);

    /// <summary>The item of a contract number, or null for a number the catalog does not know.</summary>
    public static BillingItemInfo? Find(int number) => (uint)number < (uint)ByNumber.Length ? ByNumber[number] : null;

    public static BillingItemInfo Get(BillingItem item) => Find((int)item) ?? throw new ArgumentOutOfRangeException(nameof(item));

    public static BillingItemInfo? FindByCode(string code) => ByCode.GetValueOrDefault(code);

    /// <summary>Whether this host accepts the item: retired items only when configured.</summary>
    public static bool IsEnabled(BillingItemInfo item, UsageOptions options) => !item.Retired || options.DataKitItemEnabled;

    /// <summary>The items a workspace may report: enabled ones, and on the experience plan only those it allows.</summary>
    public static IEnumerable<BillingItemInfo> AvailableTo(Plan plan, Site site, UsageOptions options) =>
        All.Where(i => IsEnabled(i, options) && (plan != Plan.Experience || i.ExperienceAllows(site)));

    private static BillingItemInfo?[] BuildIndex()
    {
        var index = new BillingItemInfo?[All.Max(i => (int)i.Item) + 1];
        foreach (var item in All)
        {
            index[(int)item.Item] = item;
        }
        return index;
    }
}
