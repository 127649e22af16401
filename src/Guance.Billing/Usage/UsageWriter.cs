using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Workspaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Usage;

/// <summary>
/// The single writer of usage (group commit). Validated batches of every stream wait in one bounded
/// queue; the writer takes as many as are waiting (up to <see cref="UsageOptions.MaxBatchesPerCommit"/>)
/// and commits them in ONE transaction: per batch the collector's mark is advanced by a conditional
/// upsert and, only when it moved, the batch's rows are upserted (by the engine's <see cref="IUsageStore"/>). Each batch's completion is set
/// after the commit, so an ack always means "durably committed". A full queue makes the streams
/// wait, which stops their reads, which lets HTTP/2 flow control slow the agents: memory stays bounded.
/// </summary>
public sealed class UsageWriter : IHostedService, IDisposable
{
    private readonly WriterQueue _queue;
    private readonly UsageDatabase _database;
    private readonly UsageOptions _options;
    private readonly TimeProvider _clock;
    private readonly UsageMetrics _metrics;
    private readonly ILogger<UsageWriter> _logger;
    private readonly IWorkspaceLockOracle _locks;
    private Thread? _thread;
    private DbConnection? _connection;
    private IUsageStore? _store;
    private int _committing;

    // The days whose rollups this commit recomputes from their hours (docs/performance.md, "Dashboard reads").
    private readonly UsageRollupKeys _rollupKeys = new();

    // The tokens of this commit's batches with their workspaces, read once in its transaction.
    private readonly Dictionary<string, TokenAdmission> _admissions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tokens = new(StringComparer.Ordinal);
    // The site-days of this commit's batches, for the closed-day read.
    private readonly List<(Site Site, DateOnly Day)> _siteDays = [];

    public UsageWriter(UsageDatabase database, IOptions<UsageOptions> options, TimeProvider clock, UsageMetrics metrics, IWorkspaceLockOracle locks, ILogger<UsageWriter> logger)
    {
        _locks = locks;
        _database = database;
        _options = options.Value;
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
        _queue = new WriterQueue(_options.WriterQueueCapacity);
    }

    /// <summary>Batches queued or in the commit under way (diagnostics and tests).</summary>
    public int QueuedBatches => _queue.Count + Volatile.Read(ref _committing);

    /// <summary>Batches of the commit under way (diagnostics and tests).</summary>
    public int CommittingBatches => Volatile.Read(ref _committing);

    /// <summary>Queues a validated batch; waits while the queue is full. The task completes after the commit.</summary>
    public async ValueTask<Task<BatchOutcome>> EnqueueAsync(PendingBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.EnqueueAsync(batch, cancellationToken);
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
        _queue.Complete();
        if (_thread is null || _thread.Join(TimeSpan.FromSeconds(30)))
        {
            _queue.Dispose();
        }
    }

    private void Run()
    {
        var group = new List<PendingBatch>(_options.MaxBatchesPerCommit);
        while (true)
        {
            bool more;
            try
            {
                more = _queue.WaitForBatches();
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
            while (group.Count < _options.MaxBatchesPerCommit && _queue.TryRead(out var batch))
            {
                group.Add(batch);
            }
            if (group.Count > 0)
            {
                Volatile.Write(ref _committing, group.Count);
                Commit(group);
                Volatile.Write(ref _committing, 0);
            }
        }
        _store?.Dispose();
        _connection?.Dispose();
        _store = null;
        _connection = null;
    }

    private void Commit(List<PendingBatch> queued)
    {
        var started = Stopwatch.GetTimestamp();
        var group = InLockOrder(queued);
        var outcomes = new BatchOutcome?[group.Count];
        var refusals = new BillingException?[group.Count];
        List<RollupDayTotal> overLimit;
        try
        {
            EnsureConnection();
            _rollupKeys.Clear();
            using var transaction = _connection!.BeginTransaction();
            _store!.Enlist(transaction);
            var now = UnixMicrosecondsConverter.ToMicroseconds(_clock.GetUtcNow());
            var admitted = Admit(group, outcomes, refusals, now);
            // Quota checks lock their workspace (PostgreSQL); taken up front in one order, so that two hosts never deadlock.
            foreach (var workspaceId in ExperienceWorkspaces(group, admitted))
            {
                _store.LockWorkspace(workspaceId);
            }
            // Commercial batches are written together (one round trip for a whole run on PostgreSQL); a batch
            // with experience usage needs its quota read first, so the run before it is written before that read.
            var closedDays = ReadClosedDays(group, admitted);
            var run = new List<int>();
            foreach (var i in admitted)
            {
                if (closedDays.Count > 0 && RefusedAsClosed(group[i], closedDays) is { } closedOutcome)
                {
                    outcomes[i] = closedOutcome;
                }
                else if (group[i].Batch.HasExperienceRows)
                {
                    ApplyRun(group, run, outcomes, now);
                    outcomes[i] = ApplyExperience(group[i], now);
                }
                else
                {
                    run.Add(i);
                }
            }
            ApplyRun(group, run, outcomes, now);
            overLimit = _rollupKeys.IsEmpty ? [] : _store.RefreshRollups(_rollupKeys, _options.MaxDayQuantity);
            if (overLimit.Count > 0)
            {
                transaction.Rollback();
                if (group.Count == 1)
                {
                    var refusal = DayQuantityRefusal(group[0], overLimit);
                    _logger.LogWarning("Collector {Collector} of workspace {Workspace} sent a batch that would take a billing day past the most it may hold; refused: {Refusal}",
                        group[0].CollectorId, group[0].Workspace.Id, refusal.Message);
                    outcomes[0] = BatchOutcome.Rejected(group[0].Batch.Sequence, refusal);
                }
            }
            else
            {
                transaction.Commit();
            }
            _store.Enlist(null);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A usage commit of {Batches} batches failed; their streams are ended and the agents resend.", group.Count);
            ResetConnection();
            foreach (var batch in group)
            {
                _metrics.Rejected(ErrorReasons.StorageUnavailable);
                batch.Completion.TrySetException(UsageErrors.Unavailable());
            }
            return;
        }
        if (overLimit.Count > 0 && group.Count > 1)
        {
            CommitApart(group, overLimit);
            return;
        }

        _metrics.Committed(group.Count, Stopwatch.GetElapsedTime(started));
        _metrics.AnsweredCommit(outcomes, group);
        for (int i = 0; i < group.Count; i++)
        {
            if (refusals[i] is { } refusal)
            {
                _metrics.Rejected(refusal.Reason);
                group[i].Completion.TrySetException(refusal);
                continue;
            }
            group[i].Completion.TrySetResult(outcomes[i]!);
        }
    }

    /// <summary>
    /// A group in which some day went past <see cref="UsageOptions.MaxDayQuantity"/> (rolled back): the batches of every
    /// collector with a batch adding to such a day are committed alone, in their order, so that only those that pass
    /// the limit are refused; the others of the group together first (they add nothing to those days).
    /// </summary>
    private void CommitApart(List<PendingBatch> group, List<RollupDayTotal> overLimit)
    {
        _metrics.Split();
        var suspects = group.Where(b => b.Batch.Rows.Any(row => overLimit.Any(day => day.Holds(b.Workspace.Id, row))))
            .Select(b => (b.Workspace.Id, b.CollectorId))
            .ToHashSet();
        var apart = group.Where(b => suspects.Contains((b.Workspace.Id, b.CollectorId))).ToList();
        var rest = group.Where(b => !suspects.Contains((b.Workspace.Id, b.CollectorId))).ToList();
        if (rest.Count > 0)
        {
            Commit(rest);
        }
        HashSet<(string, string)>? failed = null;
        foreach (var batch in apart)
        {
            var collector = (batch.Workspace.Id, batch.CollectorId);
            if (failed?.Contains(collector) == true)
            {
                // Not committed after an earlier batch of its collector failed: a later mark would tell the agent, on its
                // reconnect, that the failed batch was committed.
                _metrics.Rejected(ErrorReasons.StorageUnavailable);
                batch.Completion.TrySetException(UsageErrors.Unavailable());
                continue;
            }
            Commit([batch]);
            if (batch.Completion.Task.IsFaulted)
            {
                (failed ??= []).Add(collector);
            }
        }
    }

    /// <summary>The refusal of a batch alone whose commit took a day past the limit (the first such day of its rows).</summary>
    private BillingException DayQuantityRefusal(PendingBatch pending, List<RollupDayTotal> overLimit)
    {
        foreach (var day in overLimit)
        {
            foreach (var row in pending.Batch.Rows)
            {
                if (day.Holds(pending.Workspace.Id, row))
                {
                    return UsageErrors.DayQuantityLimit(row.Item, pending.Workspace.Site, day.BillingDay, _options.MaxDayQuantity, day.Quantity, pending.Batch.Sequence);
                }
            }
        }
        throw new InvalidOperationException("A day over the limit that the batch does not add to.");
    }

    /// <summary>
    /// The per-batch admission, for the whole group in one read inside the transaction (docs/ingestion.md): a batch
    /// whose token no longer works, whose workspace is dissolved, or whose workspace was upgraded since its stream
    /// read it, gets a refusal that ends its stream (<paramref name="refusals"/>); a locked workspace's batch is
    /// refused with WORKSPACE_LOCKED; a batch decided before gets that answer. The rest, returned, are written.
    /// </summary>
    private List<int> Admit(List<PendingBatch> group, BatchOutcome?[] outcomes, BillingException?[] refusals, long nowMicros)
    {
        _tokens.Clear();
        _admissions.Clear();
        foreach (var batch in group)
        {
            _tokens.Add(batch.TokenId);
        }
        _store!.ReadAdmissions(_tokens, _admissions);
        var admitted = new List<int>(group.Count);
        for (int i = 0; i < group.Count; i++)
        {
            var pending = group[i];
            TokenAdmission? admission = _admissions.TryGetValue(pending.TokenId, out var found) ? found : null;
            if (TokenAdmission.Refusal(admission, pending.TokenId, nowMicros) is { } refusal)
            {
                refusals[i] = refusal;
            }
            else if (!admission!.Value.Matches(pending.Workspace))
            {
                refusals[i] = UsageErrors.PlanChanged(pending.Workspace.Id);
            }
            else if (pending.LockDecides && _locks.IsLocked(pending.Workspace.Id, admission.Value.LockAt))
            {
                outcomes[i] = BatchOutcome.Rejected(pending.Batch.Sequence, UsageErrors.Locked(pending.Workspace.Id));
            }
            else if (pending.Decided is { } decided)
            {
                outcomes[i] = decided;
            }
            else
            {
                admitted.Add(i);
            }
        }
        return admitted;
    }

    /// <summary>
    /// The group sorted by workspace and collector (stable, so each collector's batches keep their
    /// order). Every host's writer then takes the collectors' mark rows in the same order: when a
    /// collector moves between hosts, or two collectors do, two hosts' group commits cannot deadlock
    /// on each other's marks (PostgreSQL would abort one, and the agents of the whole group would resend).
    /// </summary>
    internal static List<PendingBatch> InLockOrder(List<PendingBatch> group) =>
        group.OrderBy(b => b.Workspace.Id, StringComparer.Ordinal).ThenBy(b => b.CollectorId, StringComparer.Ordinal).ToList();

    /// <summary>The workspaces of the admitted batches with experience usage, in ordinal order.</summary>
    private static IEnumerable<string> ExperienceWorkspaces(List<PendingBatch> group, List<int> admitted)
    {
        List<string>? workspaceIds = null;
        foreach (var i in admitted)
        {
            if (group[i].Batch.HasExperienceRows)
            {
                (workspaceIds ??= []).Add(group[i].Workspace.Id);
            }
        }
        return workspaceIds is null ? [] : workspaceIds.Distinct().Order(StringComparer.Ordinal);
    }

    /// <summary>
    /// The site-days of the group that CloseDay has closed, read inside the transaction (under the
    /// site-day locks on PostgreSQL): the exact rule that no point lands in a day after its close.
    /// </summary>
    private Dictionary<(string Site, DateOnly Day), DateTimeOffset> ReadClosedDays(List<PendingBatch> group, List<int> admitted)
    {
        // Loops rather than LINQ: this runs at every commit, and a fleet's commits are many and small.
        _siteDays.Clear();
        foreach (var i in admitted)
        {
            var site = group[i].Workspace.Site;
            var rows = group[i].Batch.Rows;
            for (int r = 0; r < rows.Count; r++)
            {
                var siteDay = (site, rows[r].Hour.BillingDay);
                if (!_siteDays.Contains(siteDay))
                {
                    _siteDays.Add(siteDay);
                }
            }
        }
        _siteDays.Sort(static (a, b) =>
        {
            var bySite = string.CompareOrdinal(a.Site.Code, b.Site.Code);
            return bySite != 0 ? bySite : a.Day.CompareTo(b.Day);
        });
        var closed = new Dictionary<(string Site, DateOnly Day), DateTimeOffset>();
        foreach (var (site, day) in _siteDays)
        {
            if (_store!.DayClosedAt(site, day) is { } closedAt)
            {
                closed[(site.Code, day)] = closedAt;
            }
        }
        return closed;
    }

    /// <summary>A batch with a row in a closed day: acknowledged again if it committed before the close (a resend), otherwise refused whole.</summary>
    private BatchOutcome? RefusedAsClosed(PendingBatch pending, Dictionary<(string Site, DateOnly Day), DateTimeOffset> closedDays)
    {
        var site = pending.Workspace.Site;
        var sequence = pending.Batch.Sequence;
        foreach (var row in pending.Batch.Rows)
        {
            if (closedDays.TryGetValue((site.Code, row.Hour.BillingDay), out var closedAt))
            {
                return sequence <= _store!.ReadMark(pending.Workspace.Id, pending.CollectorId)
                    ? BatchOutcome.Duplicate(sequence)
                    : BatchOutcome.Rejected(sequence, UsageErrors.Closed(site, row.Hour.BillingDay, closedAt, sequence));
            }
        }
        return null;
    }

    private void ApplyRun(List<PendingBatch> group, List<int> run, BatchOutcome?[] outcomes, long nowMicros)
    {
        if (run.Count == 0)
        {
            return;
        }
        var writes = run.Select(i => Write(group[i])).ToList();
        Span<bool> applied = run.Count <= 256 ? stackalloc bool[run.Count] : new bool[run.Count];
        _store!.Apply(writes, nowMicros, applied);
        for (int k = 0; k < run.Count; k++)
        {
            if (applied[k])
            {
                _rollupKeys.Add(writes[k]);
            }
            var sequence = group[run[k]].Batch.Sequence;
            outcomes[run[k]] = applied[k] ? BatchOutcome.Applied(sequence) : BatchOutcome.Duplicate(sequence);
        }
        run.Clear();
    }

    private BatchOutcome ApplyExperience(PendingBatch pending, long nowMicros)
    {
        var batch = pending.Batch;
        if (batch.Sequence <= _store!.ReadMark(pending.Workspace.Id, pending.CollectorId))
        {
            return BatchOutcome.Duplicate(batch.Sequence);
        }
        if (QuotaExceeded(pending) is { } exceeded)
        {
            return BatchOutcome.Rejected(batch.Sequence, exceeded);
        }
        Span<bool> applied = stackalloc bool[1];
        var write = Write(pending);
        _store.Apply([write], nowMicros, applied);
        if (applied[0])
        {
            _rollupKeys.Add(write);
        }
        return applied[0] ? BatchOutcome.Applied(batch.Sequence) : BatchOutcome.Duplicate(batch.Sequence);
    }

    private static BatchWrite Write(PendingBatch pending) =>
        new(pending.Workspace.Id, pending.CollectorId, pending.Batch.Sequence, pending.Batch.Rows);

    /// <summary>
    /// The experience quota of the batch's experience-period rows (docs/domain.md §2: commercial usage
    /// has no quota), read inside the transaction (so earlier batches of this group count, and on
    /// PostgreSQL under the workspace's advisory lock taken in <see cref="Commit"/>, so two hosts cannot both pass it).
    /// </summary>
    private BillingException? QuotaExceeded(PendingBatch pending)
    {
        var workspace = pending.Workspace;
        var experienceRows = pending.Batch.Rows.Where(r => r.Period == Plan.Experience).ToList();
        foreach (var key in experienceRows.Select(r => (r.Item, r.Hour.BillingDay)).Distinct())
        {
            var quota = key.Item.ExperienceQuotaOn(workspace.Site);
            if (quota is null)
            {
                continue;
            }
            var stored = _store!.ReadDayRows(workspace.Id, key.Item.Item, key.BillingDay, Plan.Experience)
                .Select(r => new QuotaCheck.StoredRow(r.HourStart, r.CollectorId, r.Quantity, r.ObservedAt));
            var added = experienceRows.Where(r => r.Item == key.Item && r.Hour.BillingDay == key.BillingDay)
                .Select(r => new QuotaCheck.NewRow(UnixMicrosecondsConverter.ToMicroseconds(r.Hour.Start), r.Quantity, UnixMicrosecondsConverter.ToMicroseconds(r.ObservedAt)));
            var after = QuotaCheck.DayQuantityAfter(key.Item.Aggregation, stored, pending.CollectorId, added);
            if (after > quota)
            {
                var resetsAt = workspace.Site.StartOf(key.BillingDay.AddDays(1));
                return UsageErrors.Quota(key.Item, workspace.Site, key.BillingDay, quota.Value, after, resetsAt, pending.Batch.Sequence);
            }
        }
        return null;
    }

    private void EnsureConnection()
    {
        if (_connection is null)
        {
            _connection = _database.OpenWriter();
            _store = UsageDatabase.CreateStore(_connection);
        }
    }

    private void ResetConnection()
    {
        try
        {
            _store?.Dispose();
            _connection?.Dispose();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Closing the usage writer's connection failed.");
        }
        _store = null;
        _connection = null;
    }
}
