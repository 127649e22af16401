using System.Globalization;
using Google.Rpc;
using Guance.Billing.V1;

namespace Guance.Billing.Client.Usage;

/// <summary>
/// What a refused batch means for the agent, read from the refusal's ErrorInfo: the item to stop (and
/// until when), whether to pause the workspace, and which of the batch's records may be sent again.
/// </summary>
internal sealed record UsageRefusal(string Reason, BillingItem? StoppedItem, DateTimeOffset StoppedUntil, bool PausesWorkspace, IList<UsageRecord> Keep)
{
    public static UsageRefusal Read(Google.Rpc.Status status, IList<UsageRecord> records)
    {
        var info = status.GetDetail<ErrorInfo>();
        var reason = info?.Reason ?? "UNKNOWN";
        string Meta(string key) => info?.Metadata.TryGetValue(key, out var value) == true ? value : "";
        switch (reason)
        {
            case "EXPERIENCE_QUOTA_EXHAUSTED":
            case "ITEM_NOT_AVAILABLE_ON_EXPERIENCE":
            case "ITEM_NOT_ENABLED":
                if (System.Enum.TryParse<BillingItem>(ToEnumName(Meta("billing_item")), out var item))
                {
                    var until = reason == "EXPERIENCE_QUOTA_EXHAUSTED" && DateTimeOffset.TryParse(Meta("resets_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var resets)
                        ? resets
                        : DateTimeOffset.MaxValue;
                    return new UsageRefusal(reason, item, until, false, records.Where(r => r.Item != item).ToList());
                }
                break;
            case "DAY_QUANTITY_LIMIT_EXCEEDED":
                // The item's day holds the most it may: stop the item for the rest of that day, keep every other record.
                if (System.Enum.TryParse<BillingItem>(ToEnumName(Meta("billing_item")), out var full)
                    && DateTimeOffset.TryParse(Meta("day_start"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dayStart)
                    && DateTimeOffset.TryParse(Meta("day_end"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dayEnd))
                {
                    bool InTheDay(UsageRecord r) => r.ObservedAt is { } at && at.ToDateTimeOffset() >= dayStart && at.ToDateTimeOffset() < dayEnd;
                    return new UsageRefusal(reason, full, dayEnd, false, records.Where(r => r.Item != full || !InTheDay(r)).ToList());
                }
                break;
            case "DAY_CLOSED":
                if (DateTimeOffset.TryParse(Meta("day_start"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
                    && DateTimeOffset.TryParse(Meta("day_end"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
                {
                    var keep = records.Where(r => r.ObservedAt is null || r.ObservedAt.ToDateTimeOffset() < start || r.ObservedAt.ToDateTimeOffset() >= end).ToList();
                    return new UsageRefusal(reason, null, default, false, keep);
                }
                break;
            case "WORKSPACE_LOCKED":
                return new UsageRefusal(reason, null, default, true, records);
        }
        return new UsageRefusal(reason, null, default, false, []);
    }

    private static string ToEnumName(string contractName)
    {
        // BILLING_ITEM_APM_TRACE -> ApmTrace
        var words = contractName.StartsWith("BILLING_ITEM_", StringComparison.Ordinal) ? contractName["BILLING_ITEM_".Length..] : contractName;
        return string.Concat(words.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
    }
}
