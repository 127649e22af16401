namespace Guance.Billing.Workspaces;

/// <summary>The retention of one data type now, and a change waiting for the next site-day.</summary>
public sealed record RetentionView(DataType DataType, int Days, int? PendingDays, DateTimeOffset? PendingEffectiveFrom)
{
    /// <summary>Folds a workspace's retention history into what is in force at <paramref name="now"/>.</summary>
    public static IReadOnlyList<RetentionView> Of(IEnumerable<RetentionChange> history, DateTimeOffset now)
    {
        var byType = history.GroupBy(c => c.DataType).ToDictionary(g => g.Key, g => g.OrderBy(c => c.EffectiveFrom).ThenBy(c => c.Id).ToList());
        return RetentionPolicy.DataTypes
            .Where(byType.ContainsKey)
            .Select(type =>
            {
                var changes = byType[type];
                var current = changes.Last(c => c.EffectiveFrom <= now);
                var pending = changes.LastOrDefault(c => c.EffectiveFrom > now);
                return new RetentionView(type, current.Days, pending?.Days, pending?.EffectiveFrom);
            })
            .ToList();
    }
}
