using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Usage;

/// <summary>
/// The single writer of usage (group commit). Validated batches of every stream wait in one bounded
/// queue; the writer takes as many as are waiting (up to <see cref="UsageOptions.MaxBatchesPerCommit"/>)
/// and commits them in ONE transaction: per batch the collector's mark is advanced by a conditional
/// upsert and, only when it moved, the batch's rows are upserted. Each batch's completion is set
/// after the commit, so an ack always means "durably committed". A full queue makes the streams
/// wait, which stops their reads, which lets HTTP/2 flow control slow the agents: memory stays bounded.
/// </summary>
public sealed class UsageWriter : IHostedService, IDisposable
{
    private readonly Channel<PendingBatch> _queue;
    private readonly UsageDatabase _database;
    private readonly UsageOptions _options;
    private readonly TimeProvider _clock;
    private readonly UsageMetrics _metrics;
    private readonly ILogger<UsageWriter> _logger;
    private Thread? _thread;
    private DbConnection? _connection;
    private UsageWriterStatements? _statements;

    public UsageWriter(UsageDatabase database, IOptions<UsageOptions> options, TimeProvider clock, UsageMetrics metrics, ILogger<UsageWriter> logger)
    {
        _database = database;
        _options = options.Value;
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingBatch>(new BoundedChannelOptions(Math.Max(1, _options.WriterQueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a validated batch; waits while the queue is full. The task completes after the commit.</summary>
    public async ValueTask<Task<BatchOutcome>> EnqueueAsync(PendingBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(batch, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw UsageErrors.Unavailable();
        }
        return batch.Completion.Task;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "usage-writer" };
        _thread.Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Nothing to do here: the server stops after the hosted services, and its in-flight streams
    /// still need the writer. The queue closes in <see cref="Dispose"/>, after the server has stopped.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops taking batches and commits what is queued, so that a graceful stop loses nothing.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread?.Join(TimeSpan.FromSeconds(30));
    }

    private void Run()
    {
        var group = new List<PendingBatch>(_options.MaxBatchesPerCommit);
        var reader = _queue.Reader;
        while (true)
        {
            bool more;
            try
            {
                more = reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                _logger.LogError(e, "The usage writer's queue failed.");
                return;
            }
            if (!more)
            {
                break;
            }
            group.Clear();
            while (group.Count < _options.MaxBatchesPerCommit && reader.TryRead(out var batch))
            {
                group.Add(batch);
            }
            if (group.Count > 0)
            {
                Commit(group);
            }
        }
        _statements?.Dispose();
        _connection?.Dispose();
        _statements = null;
        _connection = null;
    }

    private void Commit(List<PendingBatch> group)
    {
        var started = Stopwatch.GetTimestamp();
        var outcomes = new BatchOutcome[group.Count];
        try
        {
            EnsureConnection();
            using var transaction = _connection!.BeginTransaction();
            _statements!.Enlist(transaction);
            var now = UnixMicrosecondsConverter.ToMicroseconds(_clock.GetUtcNow());
            // Quota checks lock their workspace (PostgreSQL); taken up front in one order, so that two hosts never deadlock.
            foreach (var workspaceId in group.Where(b => b.Workspace.IsExperience).Select(b => b.Workspace.Id).Distinct().Order(StringComparer.Ordinal))
            {
                _statements.LockWorkspace(workspaceId);
            }
            var closedDays = ReadClosedDays(group);
            for (int i = 0; i < group.Count; i++)
            {
                outcomes[i] = Apply(group[i], now, closedDays);
            }
            transaction.Commit();
            _statements.Enlist(null);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A usage commit of {Batches} batches failed; their streams are ended and the agents resend.", group.Count);
            ResetConnection();
            foreach (var batch in group)
            {
                _metrics.Rejected(UsageErrors.StorageUnavailable);
                batch.Completion.TrySetException(UsageErrors.Unavailable());
            }
            return;
        }

        _metrics.Committed(group.Count, Stopwatch.GetElapsedTime(started));
        for (int i = 0; i < group.Count; i++)
        {
            _metrics.Answered(outcomes[i], group[i].Batch.RecordCount);
            group[i].Completion.TrySetResult(outcomes[i]);
        }
    }

    /// <summary>
    /// The site-days of the group that CloseDay has closed, read inside the transaction (under the
    /// site-day locks on PostgreSQL): the exact rule that no point lands in a day after its close.
    /// </summary>
    private Dictionary<(string Site, DateOnly Day), DateTimeOffset> ReadClosedDays(List<PendingBatch> group)
    {
        var closed = new Dictionary<(string Site, DateOnly Day), DateTimeOffset>();
        var siteDays = group.SelectMany(b => b.Batch.Rows.Select(r => (b.Workspace.Site, r.Hour.BillingDay))).Distinct()
            .OrderBy(d => d.Site.Code, StringComparer.Ordinal).ThenBy(d => d.BillingDay);
        foreach (var (site, day) in siteDays)
        {
            if (_statements!.DayClosedAt(site, day) is { } closedAt)
            {
                closed[(site.Code, day)] = closedAt;
            }
        }
        return closed;
    }

    private BatchOutcome Apply(PendingBatch pending, long nowMicros, Dictionary<(string Site, DateOnly Day), DateTimeOffset> closedDays)
    {
        var workspace = pending.Workspace;
        var batch = pending.Batch;
        var statements = _statements!;
        if (closedDays.Count > 0)
        {
            foreach (var row in batch.Rows)
            {
                if (closedDays.TryGetValue((workspace.Site.Code, row.Hour.BillingDay), out var closedAt))
                {
                    // Committed before the close (a resend): acknowledged again; otherwise refused, nothing applied.
                    return batch.Sequence <= statements.ReadMark(workspace.Id, pending.CollectorId)
                        ? BatchOutcome.Duplicate(batch.Sequence)
                        : BatchOutcome.Rejected(batch.Sequence, UsageErrors.Closed(workspace.Site, row.Hour.BillingDay, closedAt, batch.Sequence));
                }
            }
        }
        if (workspace.IsExperience)
        {
            if (batch.Sequence <= statements.ReadMark(workspace.Id, pending.CollectorId))
            {
                return BatchOutcome.Duplicate(batch.Sequence);
            }
            if (QuotaExceeded(pending) is { } exceeded)
            {
                return BatchOutcome.Rejected(batch.Sequence, exceeded);
            }
        }
        if (!statements.AdvanceMark(workspace.Id, pending.CollectorId, batch.Sequence, nowMicros))
        {
            return BatchOutcome.Duplicate(batch.Sequence);
        }
        foreach (var row in batch.Rows)
        {
            statements.Apply(workspace.Id, pending.CollectorId, row);
        }
        return BatchOutcome.Applied(batch.Sequence);
    }

    /// <summary>
    /// The experience quota, read inside the transaction (so earlier batches of this group count, and
    /// on PostgreSQL under the workspace's advisory lock taken in <see cref="Commit"/>, so two hosts cannot both pass it).
    /// </summary>
    private BillingException? QuotaExceeded(PendingBatch pending)
    {
        var workspace = pending.Workspace;
        foreach (var key in pending.Batch.Rows.Select(r => (r.Item, r.Hour.BillingDay)).Distinct())
        {
            var quota = key.Item.ExperienceQuotaOn(workspace.Site);
            if (quota is null)
            {
                continue;
            }
            var stored = _statements!.ReadDayRows(workspace.Id, key.Item.Item, key.BillingDay)
                .Select(r => new QuotaCheck.StoredRow(r.Hour, r.Collector, r.Quantity, r.ObservedAt));
            var added = pending.Batch.Rows.Where(r => r.Item == key.Item && r.Hour.BillingDay == key.BillingDay)
                .Select(r => new QuotaCheck.NewRow(UnixMicrosecondsConverter.ToMicroseconds(r.Hour.Start), r.Quantity, UnixMicrosecondsConverter.ToMicroseconds(r.ObservedAt)));
            var after = QuotaCheck.DayQuantityAfter(key.Item.Aggregation, stored, pending.CollectorId, added);
            if (after > quota)
            {
                var resetsAt = workspace.Site.StartOf(key.BillingDay.AddDays(1));
                return UsageErrors.Quota(key.Item, key.BillingDay, quota.Value, after, resetsAt, pending.Batch.Sequence);
            }
        }
        return null;
    }

    private void EnsureConnection()
    {
        if (_connection is null)
        {
            _connection = _database.OpenWriter();
            _statements = new UsageWriterStatements(_connection, _database.WorkspaceLockSql, _database.DayLockSharedSql);
        }
    }

    private void ResetConnection()
    {
        try
        {
            _statements?.Dispose();
            _connection?.Dispose();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Closing the usage writer's connection failed.");
        }
        _statements = null;
        _connection = null;
    }
}
