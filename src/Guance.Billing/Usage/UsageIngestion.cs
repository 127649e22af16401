using System.Data.Common;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Workspaces;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Usage;

/// <summary>What an agent learns when it opens a stream: where to resume and how far to send ahead.</summary>
public sealed record StreamOpened(string WorkspaceId, string CollectorId, long LastCommittedSequence, int MaxBatchesInFlight, int MaxRecordsPerBatch);

/// <summary>
/// Usage ingestion for collector tokens: opening streams, admitting each batch (token, workspace,
/// lock), validating and aggregating it, and handing it to the single writer.
/// </summary>
public sealed class UsageIngestion(
    UsageDatabase database,
    UsageWriter writer,
    CollectorStreams streams,
    IOptions<UsageOptions> options,
    IDayCloseOracle days,
    IWorkspaceLockOracle locks,
    UsageMetrics metrics,
    TimeProvider clock)
{
    private const string AdmissionSql = """
        SELECT t.revoked_at, t.expires_at, w.state, w.plan, w.upgraded_at, w.site_code, w.id
        FROM access_tokens t JOIN workspaces w ON w.id = t.subject_id
        WHERE t.id = @token AND t.kind = @kind
        """;

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
            return new UsageStreamSession(this, caller, opened, registration);
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
        var (workspace, locked) = await AdmitBatchAsync(caller, cancellationToken);
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
        var outcome = await await SubmitAsync(workspace, locked, collectorId!, sequence, records, cancellationToken);
        if (outcome.Error is { } error)
        {
            throw error;
        }
        return outcome;
    }

    /// <summary>
    /// Checks, per batch, that the collector token still works and its workspace takes usage. Fatal
    /// failures (revoked token, dissolved workspace) are thrown: they end the stream.
    /// </summary>
    internal async Task<WorkspaceSnapshot> AdmitAsync(Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return await ReadAdmissionAsync(connection, caller, cancellationToken);
    }

    /// <summary>
    /// <see cref="AdmitAsync"/> for a batch, and whether its workspace is locked, on one pooled connection
    /// (a connection per read cost a fleet's small batches more than the reads).
    /// </summary>
    internal async Task<(WorkspaceSnapshot Workspace, bool Locked)> AdmitBatchAsync(Caller caller, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var workspace = await ReadAdmissionAsync(connection, caller, cancellationToken);
        return (workspace, await locks.IsLockedAsync(connection, workspace.Id, cancellationToken));
    }

    private async Task<WorkspaceSnapshot> ReadAdmissionAsync(DbConnection connection, Caller caller, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(AdmissionSql).With("@token", caller.TokenId).With("@kind", (int)TokenKind.Collector);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            metrics.Rejected(ErrorReasons.TokenInvalid);
            throw Errors.Unauthenticated(ErrorReasons.TokenInvalid, "The bearer token is not valid.");
        }
        var workspace = new WorkspaceSnapshot(
            Id: reader.GetString(6),
            Site: Sites.Get(reader.GetString(5)),
            Plan: (Plan)reader.GetInt32(3),
            State: (WorkspaceState)reader.GetInt32(2),
            UpgradedAt: reader.IsDBNull(4) ? null : UnixMicrosecondsConverter.FromMicroseconds(reader.GetInt64(4)));
        if (workspace.State == WorkspaceState.Dissolved)
        {
            metrics.Rejected(ErrorReasons.WorkspaceDissolved);
            throw UsageErrors.Dissolved(workspace.Id);
        }
        if (!reader.IsDBNull(0))
        {
            metrics.Rejected(ErrorReasons.TokenRevoked);
            throw Errors.Unauthenticated(ErrorReasons.TokenRevoked, "The collector token has been revoked; the stream ends.").With("token_id", caller.TokenId!);
        }
        if (!reader.IsDBNull(1) && reader.GetInt64(1) <= UnixMicrosecondsConverter.ToMicroseconds(clock.GetUtcNow()))
        {
            metrics.Rejected(ErrorReasons.TokenExpired);
            throw Errors.Unauthenticated(ErrorReasons.TokenExpired, "The collector token has expired; the stream ends.").With("token_id", caller.TokenId!);
        }
        return workspace;
    }

    /// <summary>
    /// Validates and aggregates a batch, then queues it for the writer (waiting while the queue is
    /// full). A refusal completes at once; the returned task completes after the commit otherwise.
    /// </summary>
    internal async ValueTask<Task<BatchOutcome>> SubmitAsync(WorkspaceSnapshot workspace, bool locked, string collectorId, long sequence, ReadOnlyMemory<UsageRecord> records, CancellationToken cancellationToken)
    {
        AggregatedBatch batch;
        try
        {
            if (locked)
            {
                throw UsageErrors.Locked(workspace.Id);
            }
            batch = BatchAggregator.Aggregate(workspace, sequence, records.Span, clock.GetUtcNow(), Options, days);
        }
        catch (BillingException e)
        {
            return Task.FromResult(Refused(sequence, e));
        }
        return await writer.EnqueueAsync(new PendingBatch(workspace, collectorId, batch), cancellationToken);
    }

    internal BatchOutcome Refused(long sequence, BillingException error)
    {
        var outcome = BatchOutcome.Rejected(sequence, error);
        metrics.Answered(outcome, 0);
        return outcome;
    }

    internal BatchOutcome DuplicateAnswered(long sequence, int records)
    {
        var outcome = BatchOutcome.Duplicate(sequence);
        metrics.Answered(outcome, records);
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
