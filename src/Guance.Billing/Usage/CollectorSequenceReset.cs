namespace Guance.Billing.Usage;

/// <summary>
/// The audit record of an operator's reset of a collector's high-water mark: who, when, the mark
/// before and after, and why. Its request id makes the reset idempotent.
/// </summary>
public sealed class CollectorSequenceReset
{
    public long Id { get; init; }
    public required string RequestId { get; init; }
    public required string WorkspaceId { get; init; }
    public required string CollectorId { get; init; }
    public long PreviousSequence { get; init; }
    public long NewSequence { get; init; }
    public required string Reason { get; init; }

    /// <summary>Who reset it: <c>operator</c> (the operator token) for now.</summary>
    public required string ResetBy { get; init; }

    public DateTimeOffset ResetAt { get; init; }
}
