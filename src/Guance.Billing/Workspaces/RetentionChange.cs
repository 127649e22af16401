namespace Guance.Billing.Workspaces;

/// <summary>
/// One retention setting of a data type, in force from <see cref="EffectiveFrom"/> until the next
/// one. The history is kept because a day is rated with the retention in force on that day.
/// </summary>
public sealed class RetentionChange
{
    public long Id { get; init; }
    public required string WorkspaceId { get; init; }
    public DataType DataType { get; init; }
    public int Days { get; init; }
    public DateTimeOffset EffectiveFrom { get; init; }
    public DateTimeOffset RequestedAt { get; init; }

    /// <summary>The user who asked for it; null for the setting a workspace starts with.</summary>
    public string? RequestedByUserId { get; init; }

    /// <summary>
    /// The site-day of an immediate change. Unique per workspace and data type, so that only the
    /// first change of a day takes effect at once, even when two requests race.
    /// </summary>
    public DateOnly? ImmediateOnDay { get; init; }
}
