namespace Guance.Billing.Usage;

/// <summary>
/// The day's quantity of one item as it would be after a batch: for a flow item the sum of all
/// rows; for a stock item the largest hour, where an hour is the sum over collectors of each
/// collector's latest value. Pure, so that the rule is tested on its own.
/// </summary>
public static class QuotaCheck
{
    public readonly record struct StoredRow(long HourStartMicros, string CollectorId, long Quantity, long ObservedAtMicros);

    public readonly record struct NewRow(long HourStartMicros, long Quantity, long ObservedAtMicros);

    public static long DayQuantityAfter(DailyAggregation aggregation, IEnumerable<StoredRow> stored, string collectorId, IEnumerable<NewRow> batch)
    {
        if (aggregation == DailyAggregation.Sum)
        {
            return checked(stored.Sum(r => r.Quantity) + batch.Sum(r => r.Quantity));
        }
        var hours = new Dictionary<long, Dictionary<string, (long Quantity, long ObservedAt)>>();
        foreach (var row in stored)
        {
            Hour(hours, row.HourStartMicros)[row.CollectorId] = (row.Quantity, row.ObservedAtMicros);
        }
        foreach (var row in batch)
        {
            var collectors = Hour(hours, row.HourStartMicros);
            if (!collectors.TryGetValue(collectorId, out var current) || row.ObservedAtMicros >= current.ObservedAt)
            {
                collectors[collectorId] = (row.Quantity, row.ObservedAtMicros);
            }
        }
        return hours.Count == 0 ? 0 : hours.Values.Max(c => c.Values.Sum(v => v.Quantity));
    }

    private static Dictionary<string, (long Quantity, long ObservedAt)> Hour(Dictionary<long, Dictionary<string, (long Quantity, long ObservedAt)>> hours, long start)
    {
        if (!hours.TryGetValue(start, out var collectors))
        {
            collectors = new Dictionary<string, (long Quantity, long ObservedAt)>(StringComparer.Ordinal);
            hours[start] = collectors;
        }
        return collectors;
    }
}
