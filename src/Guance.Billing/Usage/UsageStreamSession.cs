using Guance.Billing.Common;
using Guance.Billing.Identity;

namespace Guance.Billing.Usage;

/// <summary>
/// One open StreamUsage call. Batches are submitted in the order they arrive; each gets a task that
/// completes with its outcome (in order, since the single writer takes batches first in, first out).
/// Fatal failures (revoked token, dissolved workspace, window exceeded) are thrown and end the stream.
/// </summary>
public sealed class UsageStreamSession : IDisposable
{
    private readonly UsageIngestion _ingestion;
    private readonly Caller _caller;
    private readonly IDisposable _registration;
    private long _mark;
    private long _lastSequence;
    private int _inFlight;

    internal UsageStreamSession(UsageIngestion ingestion, Caller caller, StreamOpened opened, IDisposable registration)
    {
        _ingestion = ingestion;
        _caller = caller;
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
        var (workspace, locked) = await _ingestion.AdmitBatchAsync(_caller, cancellationToken);
        try
        {
            BatchAggregator.CheckShape(sequence, records.Length, _ingestion.Options);
        }
        catch (BillingException e)
        {
            return Task.FromResult(_ingestion.Refused(sequence, e));
        }
        if (sequence <= _mark)
        {
            // Committed before this stream opened: acknowledged again, never applied twice. Unless an operator
            // has lowered the mark since (ResetCollectorSequence): the stored mark decides, and the stream goes on from it.
            var stored = await _ingestion.ReadMarkAsync(workspace.Id, Opened.CollectorId, cancellationToken);
            if (sequence <= stored)
            {
                return Task.FromResult(_ingestion.DuplicateAnswered(sequence, records.Length));
            }
            _mark = stored;
            _lastSequence = Math.Min(_lastSequence, stored);
        }
        if (sequence <= _lastSequence)
        {
            return Task.FromResult(_ingestion.Refused(sequence, NotRising(sequence)));
        }
        if (_ingestion.TooFarAhead(sequence, _lastSequence) is { } tooFar)
        {
            return Task.FromResult(_ingestion.Refused(sequence, tooFar));
        }
        _lastSequence = sequence;
        return await _ingestion.SubmitAsync(workspace, locked, Opened.CollectorId, sequence, records, cancellationToken);
    }

    /// <summary>Called once the answer of a batch has been sent: it no longer counts against the window.</summary>
    public void Answered() => Interlocked.Decrement(ref _inFlight);

    public void Dispose() => _registration.Dispose();

    private BillingException NotRising(long sequence)
    {
        var error = UsageErrors.InvalidBatch(ErrorReasons.SequenceNotRising,
            [new FieldViolation("sequence", $"must be greater than {_lastSequence}, the previous sequence of this stream")], sequence);
        return error;
    }
}
