using Guance.Billing.Common;

namespace Guance.Billing.Usage;

/// <summary>How a batch ended: committed, committed before, or refused (nothing applied).</summary>
public enum BatchResult
{
    Applied = 1,
    Duplicate = 2,
    Rejected = 3,
}

/// <summary>The answer to one batch; <see cref="Error"/> says why a rejected batch was refused.</summary>
public sealed record BatchOutcome(long Sequence, BatchResult Result, BillingException? Error = null)
{
    public static BatchOutcome Applied(long sequence) => new(sequence, BatchResult.Applied);
    public static BatchOutcome Duplicate(long sequence) => new(sequence, BatchResult.Duplicate);
    public static BatchOutcome Rejected(long sequence, BillingException error) => new(sequence, BatchResult.Rejected, error);
}

/// <summary>
/// A batch waiting for the writer, with the completion its stream awaits. The writer admits it in its
/// transaction (<see cref="TokenAdmission"/>: token, workspace, lock) before anything else. A batch whose answer
/// was decided before (<see cref="Decided"/>: a duplicate, a refusal) is queued only for that admission, which
/// comes first: a revoked token ends the stream whatever the batch carries, and a locked workspace's refusal
/// (<see cref="LockDecides"/>) comes before the refusal of the batch's records, as when it was read before them.
/// </summary>
public sealed class PendingBatch(WorkspaceSnapshot workspace, string tokenId, string collectorId, AggregatedBatch batch, BatchOutcome? decided = null, bool lockDecides = true)
{
    /// <summary>The workspace as the batch was aggregated with it; the writer checks that it still holds.</summary>
    public WorkspaceSnapshot Workspace { get; } = workspace;
    public string TokenId { get; } = tokenId;
    public string CollectorId { get; } = collectorId;
    public AggregatedBatch Batch { get; } = batch;
    public BatchOutcome? Decided { get; } = decided;
    public bool LockDecides { get; } = lockDecides;
    public TaskCompletionSource<BatchOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
