using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Usage;

/// <summary>What an agent learns when it opens a stream: where to resume and how far to send ahead.</summary>
public sealed record StreamOpened(string WorkspaceId, string CollectorId, long LastCommittedSequence, int MaxBatchesInFlight, int MaxRecordsPerBatch);

/// <summary>
/// Usage ingestion for collector tokens: opening streams (the token and workspace read once), validating and
/// aggregating each batch with that workspace, and handing it to the single writer, which admits every batch
/// again (token, workspace, plan, lock) inside its group-commit transaction before writing it.
/// </summary>
public sealed class UsageIngestion(
    UsageDatabase database,
    UsageWriter writer,
    CollectorStreams streams,
    IOptions<UsageOptions> options,
    IDayCloseOracle days,
    UsageMetrics metrics,
    TimeProvider clock)
{
    private const string AdmissionSql = TokenAdmission.SelectSql + " WHERE t.id = @token AND t.kind = @kind";

    private const string ReadMarkSql = "SELECT last_sequence FROM usage_collectors WHERE workspace_id = @workspace AND collector_id = @collector";

    public UsageOptions Options => options.Value;

    /// <summary>
    /// Admits a StreamUsage call at its start, before any message: a collector token, and room under the
    /// host's and the token's bounds of calls. The call holds the returned slot until it ends.
    /// </summary>
    public IDisposable AcceptStream(Caller caller)
    {
        RequireCollector(caller);
        try
        {
            return streams.AcquireCall(caller.TokenId!, Math.Max(1, Options.MaxStreamsPerToken), Math.Max(1, Options.MaxStreams));
        }
        catch (BillingException e)
        {
            metrics.Rejected(e.Reason);
            throw;
        }
    }

    /// <summary>Opens a stream: checks the caller and collector id, registers the stream, reads the collector's mark.</summary>
    public async Task<UsageStreamSession> OpenStreamAsync(Caller caller, string? collectorId, CancellationToken cancellationToken)
    {
        RequireCollector(caller);
        new RequestValidator().Check(CollectorIds.IsValid(collectorId), "open.collector_id", CollectorIds.Rule).ThrowIfInvalid();
        var workspace = await AdmitAsync(caller, cancellationToken);
        var registration = streams.Acquire(workspace.Id, collectorId!, Math.Max(1, Options.MaxStreamsPerCollector));
        try
        {
            var mark = await ReadMarkAsync(workspace.Id, collectorId!, cancellationToken);
            var opened = new StreamOpened(workspace.Id, collectorId!, mark, Math.Max(1, Options.MaxBatchesInFlight), Options.MaxRecordsPerBatch);
            return new UsageStreamSession(this, caller.TokenId!, workspace, opened, registration);
        }
        catch
        {
            registration.Dispose();
            throw;
        }
    }

    /// <summary>One batch in a unary call: committed, acknowledged as a duplicate, or refused by throwing.</summary>
    public async Task<BatchOutcome> ReportAsync(Caller caller, string? collectorId, long sequence, ReadOnlyMemory<UsageRecord> records, CancellationToken cancellationToken)
    {
        RequireCollector(caller);
        new RequestValidator().Check(CollectorIds.IsValid(collectorId), "collector_id", CollectorIds.Rule).ThrowIfInvalid();
        try
        {
            BatchAggregator.CheckShape(sequence, records.Length, Options);
        }
        catch (BillingException e)
        {
            metrics.Rejected(e.Reason);
            throw;
        }
        var workspace = await AdmitAsync(caller, cancellationToken);
        var mark = await ReadMarkAsync(workspace.Id, collectorId!, cancellationToken);
        if (sequence <= mark)
        {
            var duplicate = BatchOutcome.Duplicate(sequence);
            metrics.Answered(duplicate, records.Length);
            return duplicate;
        }
        if (TooFarAhead(sequence, mark) is { } tooFar)
        {
            Refused(sequence, tooFar);
            throw tooFar;
        }
        var outcome = await await SubmitAsync(workspace, caller.TokenId!, collectorId!, sequence, records, cancellationToken);
        if (outcome.Error is { } error)
        {
            throw error;
        }
        return outcome;
    }

    /// <summary>
    /// Checks that the collector token works and its workspace takes usage, at a stream's open and before a unary
    /// report. Fatal failures (revoked token, dissolved workspace) are thrown: they end the stream.
    /// </summary>
    internal async Task<WorkspaceSnapshot> AdmitAsync(Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.Command(AdmissionSql).With("@token", caller.TokenId).With("@kind", TokenAdmission.CollectorKind);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        TokenAdmission? admission = await reader.ReadAsync(cancellationToken) ? TokenAdmission.Read(reader) : null;
        if (TokenAdmission.Refusal(admission, caller.TokenId!, UnixMicrosecondsConverter.ToMicroseconds(clock.GetUtcNow())) is { } refusal)
        {
            metrics.Rejected(refusal.Reason);
            throw refusal;
        }
        return admission!.Value.ToSnapshot();
    }

    /// <summary>
    /// Validates and aggregates a batch with <paramref name="workspace"/> as its stream read it, then queues it for
    /// the writer (waiting while the queue is full), which admits it first. The returned task completes after the
    /// commit, with the refusal of its records if they were refused (unless the workspace is locked or the token
    /// no longer works, which come first), or faulted with an error that ends the stream.
    /// </summary>
    internal async ValueTask<Task<BatchOutcome>> SubmitAsync(WorkspaceSnapshot workspace, string tokenId, string collectorId, long sequence, ReadOnlyMemory<UsageRecord> records, CancellationToken cancellationToken)
    {
        PendingBatch pending;
        try
        {
            var batch = BatchAggregator.Aggregate(workspace, sequence, records.Span, clock.GetUtcNow(), Options, days);
            pending = new PendingBatch(workspace, tokenId, collectorId, batch);
        }
        catch (BillingException e)
        {
            pending = new PendingBatch(workspace, tokenId, collectorId, new AggregatedBatch(sequence, records.Length, []), BatchOutcome.Rejected(sequence, e));
        }
        return await writer.EnqueueAsync(pending, cancellationToken);
    }

    /// <summary>
    /// A stream's batch answered without its records (a duplicate, a refused shape or sequence), queued only for the
    /// writer's admission of its token and workspace, which may end the stream instead.
    /// </summary>
    internal ValueTask<Task<BatchOutcome>> AnswerAsync(WorkspaceSnapshot workspace, string tokenId, string collectorId, BatchOutcome outcome, int records, CancellationToken cancellationToken) =>
        writer.EnqueueAsync(new PendingBatch(workspace, tokenId, collectorId, new AggregatedBatch(outcome.Sequence, records, []), outcome, lockDecides: false), cancellationToken);

    internal BatchOutcome Refused(long sequence, BillingException error)
    {
        var outcome = BatchOutcome.Rejected(sequence, error);
        metrics.Answered(outcome, 0);
        return outcome;
    }

    /// <summary>The refusal of a sequence implausibly far above <paramref name="mark"/> (see <see cref="SequenceRule"/>), or null.</summary>
    internal BillingException? TooFarAhead(long sequence, long mark) => SequenceRule.Check(sequence, mark, clock.GetUtcNow(), Options);

    internal async Task<long> ReadMarkAsync(string workspaceId, string collectorId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.Command(ReadMarkSql).With("@workspace", workspaceId).With("@collector", collectorId);
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static void RequireCollector(Caller caller)
    {
        caller.RequireAuthenticated();
        if (caller.Kind != CallerKind.Collector)
        {
            throw Errors.PermissionDenied(ErrorReasons.CollectorTokenRequired, "Usage is reported with a collector token (gct_...) of the workspace.");
        }
    }
}
