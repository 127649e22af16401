using Google.Protobuf.Collections;
using Guance.Billing.Usage;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Usage between the contract and the domain.</summary>
public static class UsageMapping
{
    /// <summary>Copies the records into <paramref name="buffer"/> (at least records.Count long); unset or invalid times become null.</summary>
    public static void ToRecords(RepeatedField<V1.UsageRecord> records, UsageRecord[] buffer)
    {
        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i];
            buffer[i] = new UsageRecord((int)record.Item, record.Quantity, record.ObservedAt.ToInstantOrNull());
        }
    }

    public static V1.BillingItemInfo ToMessage(this BillingItemInfo item, UsageOptions options) => new()
    {
        Item = (V1.BillingItem)item.Item,
        Code = item.Code,
        DisplayName = item.DisplayName,
        CountedUnit = item.CountedUnit,
        PriceUnit = item.PriceUnit,
        DailyAggregation = (V1.DailyAggregation)item.Aggregation,
        ExperienceAllowed = item.ExperienceDailyQuota is not null,
        ExperienceDailyQuota = item.ExperienceDailyQuota ?? 0,
        ExperienceChinaOnly = item.ExperienceQuotaChinaOnly,
        RetentionDataType = item.RetentionDataType is { } type ? (V1.DataType)type : V1.DataType.Unspecified,
        Enabled = BillingItems.IsEnabled(item, options),
    };

    public static V1.BillingDay ToBillingDay(this DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    public static V1.ResetCollectorSequenceResponse ToMessage(this CollectorSequenceReset reset, bool replayed) => new()
    {
        WorkspaceId = reset.WorkspaceId,
        CollectorId = reset.CollectorId,
        PreviousSequence = reset.PreviousSequence,
        LastSequence = reset.NewSequence,
        ResetTime = reset.ResetAt.ToTimestamp(),
        ResetBy = reset.ResetBy,
        Reason = reset.Reason,
        Replayed = replayed,
    };

    public static V1.UsageStreamOpened ToMessage(this StreamOpened opened) => new()
    {
        WorkspaceId = opened.WorkspaceId,
        CollectorId = opened.CollectorId,
        LastCommittedSequence = opened.LastCommittedSequence,
        MaxBatchesInFlight = opened.MaxBatchesInFlight,
        MaxRecordsPerBatch = opened.MaxRecordsPerBatch,
    };

    public static V1.GetUsageStatisticsResponse ToMessage(this UsageStatistics statistics)
    {
        var response = new V1.GetUsageStatisticsResponse
        {
            WorkspaceId = statistics.WorkspaceId,
            Today = statistics.Today.ToBillingDay(),
            Yesterday = statistics.Yesterday.ToBillingDay(),
            AsOfTime = statistics.AsOf.ToTimestamp(),
            CountedSinceTime = statistics.CountedSince.ToTimestamp(),
        };
        response.Items.Add(statistics.Items.Select(i => new V1.ItemUsageStatistics
        {
            Item = (V1.BillingItem)i.Item.Item,
            Today = i.Today,
            Yesterday = i.Yesterday,
            MonthToDate = i.MonthToDate,
            HasQuota = i.DailyQuota is not null,
            DailyQuota = i.DailyQuota ?? 0,
            RemainingToday = i.RemainingToday,
        }));
        return response;
    }

    public static V1.UsagePoint ToMessage(this UsagePointView point) => new()
    {
        StartTime = point.Start.ToTimestamp(),
        EndTime = point.End.ToTimestamp(),
        BillingDay = point.BillingDay.ToBillingDay(),
        Quantity = point.Quantity,
    };
}
