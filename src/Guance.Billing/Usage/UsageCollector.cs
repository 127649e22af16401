namespace Guance.Billing.Usage;

/// <summary>
/// A collector (agent) of a workspace and its high-water mark: the highest batch sequence committed.
/// It is advanced by a conditional update in the same transaction as the points of the batch, which
/// is what makes delivery exactly-once across reconnects, races and host crashes.
/// </summary>
public sealed class UsageCollector
{
    public required string WorkspaceId { get; init; }
    public required string CollectorId { get; init; }
    public long LastSequence { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastCommittedAt { get; init; }
}
