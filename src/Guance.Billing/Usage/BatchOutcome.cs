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

/// <summary>A validated batch waiting for the writer, with the completion its stream awaits.</summary>
public sealed class PendingBatch(WorkspaceSnapshot workspace, string collectorId, AggregatedBatch batch)
{
    public WorkspaceSnapshot Workspace { get; } = workspace;
    public string CollectorId { get; } = collectorId;
    public AggregatedBatch Batch { get; } = batch;
    public TaskCompletionSource<BatchOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
