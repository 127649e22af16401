namespace Guance.Billing.Workspaces;

/// <summary>The retention choices of docs/domain.md §4 and the fixed retention of the experience plan.</summary>
public static class RetentionPolicy
{
    public const int ExperienceDays = 7;

    private static readonly Dictionary<DataType, int[]> Allowed = new()
    {
        [DataType.Metrics] = [3, 7, 14, 30, 180, 360],
        [DataType.Logs] = [3, 7, 14, 30, 60],
        [DataType.Apm] = [3, 7, 14, 30, 60],
        [DataType.Rum] = [3, 7, 14, 30, 60],
    };

    private static readonly Dictionary<DataType, int> CommercialDefault = new()
    {
        [DataType.Metrics] = 7,
        [DataType.Logs] = 14,
        [DataType.Apm] = 7,
        [DataType.Rum] = 7,
    };

    public static IReadOnlyList<DataType> DataTypes { get; } = Allowed.Keys.ToArray();

    public static IReadOnlyList<int> AllowedDays(DataType type) => Allowed[type];

    public static bool IsAllowed(DataType type, int days) => Allowed[type].Contains(days);

    /// <summary>The retention a workspace of this plan starts with.</summary>
    public static int DefaultDays(Plan plan, DataType type) =>
        plan == Plan.Experience ? ExperienceDays : CommercialDefault[type];

    /// <summary>The retention rows a workspace starting on <paramref name="plan"/> at <paramref name="now"/> gets: the plan's defaults, at once.</summary>
    public static List<RetentionChange> Defaults(string workspaceId, Plan plan, DateTimeOffset now, string? byUserId) =>
        DataTypes.Select(type => new RetentionChange
        {
            WorkspaceId = workspaceId,
            DataType = type,
            Days = DefaultDays(plan, type),
            EffectiveFrom = now,
            RequestedAt = now,
            RequestedByUserId = byUserId,
        }).ToList();
}
