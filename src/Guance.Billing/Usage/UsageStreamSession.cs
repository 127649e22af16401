using Guance.Billing.Common;

namespace Guance.Billing.Usage;

/// <summary>
/// One open StreamUsage call. Batches are submitted in the order they arrive; each gets a task that
/// completes with its outcome (in order, since the single writer takes batches first in, first out).
/// The token and workspace read at the open are not read again per batch: the writer admits every batch,
/// answered here or not, in its transaction (token, workspace, plan, lock; docs/ingestion.md), and a batch
/// whose token stopped working or whose workspace changed faults, which ends the stream. The window is
/// checked here and ends the stream at once.
/// </summary>
public sealed class UsageStreamSession : IDisposable
{
    private readonly UsageIngestion _ingestion;
    private readonly string _tokenId;
    private readonly WorkspaceSnapshot _workspace;
    private readonly IDisposable _registration;
    private long _mark;
    private long _lastSequence;
    private int _inFlight;

    internal UsageStreamSession(UsageIngestion ingestion, string tokenId, WorkspaceSnapshot workspace, StreamOpened opened, IDisposable registration)
    {
        _ingestion = ingestion;
        _tokenId = tokenId;
        _workspace = workspace;
        _registration = registration;
        Opened = opened;
        _mark = opened.LastCommittedSequence;
        _lastSequence = opened.LastCommittedSequence;
    }

    public StreamOpened Opened { get; }

    public async ValueTask<Task<BatchOutcome>> SubmitAsync(long sequence, ReadOnlyMemory<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _inFlight) > Opened.MaxBatchesInFlight)
        {
            throw UsageErrors.WindowExceeded(Opened.MaxBatchesInFlight);
        }
        try
        {
            BatchAggregator.CheckShape(sequence, records.Length, _ingestion.Options);
        }
        catch (BillingException e)
        {
            return await Answer(BatchOutcome.Rejected(sequence, e), records.Length, cancellationToken);
        }
        if (sequence <= _mark)
        {
            // Committed before this stream opened: acknowledged again, never applied twice. Unless an operator
            // has lowered the mark since (ResetCollectorSequence): the stored mark decides, and the stream goes on from it.
            var stored = await _ingestion.ReadMarkAsync(_workspace.Id, Opened.CollectorId, cancellationToken);
            if (sequence <= stored)
            {
                return await Answer(BatchOutcome.Duplicate(sequence), records.Length, cancellationToken);
            }
            _mark = stored;
            _lastSequence = Math.Min(_lastSequence, stored);
        }
        if (sequence <= _lastSequence)
        {
            return await Answer(BatchOutcome.Rejected(sequence, NotRising(sequence)), records.Length, cancellationToken);
        }
        if (_ingestion.TooFarAhead(sequence, _lastSequence) is { } tooFar)
        {
            return await Answer(BatchOutcome.Rejected(sequence, tooFar), records.Length, cancellationToken);
        }
        _lastSequence = sequence;
        return await _ingestion.SubmitAsync(_workspace, _tokenId, Opened.CollectorId, sequence, records, cancellationToken);
    }

    /// <summary>Called once the answer of a batch has been sent: it no longer counts against the window.</summary>
    public void Answered() => Interlocked.Decrement(ref _inFlight);

    public void Dispose() => _registration.Dispose();

    private ValueTask<Task<BatchOutcome>> Answer(BatchOutcome outcome, int records, CancellationToken cancellationToken) =>
        _ingestion.AnswerAsync(_workspace, _tokenId, Opened.CollectorId, outcome, records, cancellationToken);

    private BillingException NotRising(long sequence)
    {
        var error = UsageErrors.InvalidBatch(ErrorReasons.SequenceNotRising,
            [new FieldViolation("sequence", $"must be greater than {_lastSequence}, the previous sequence of this stream")], sequence);
        return error;
    }
}
