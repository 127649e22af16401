using System.Diagnostics;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Guance.Billing.V1;

namespace Guance.Billing.Client.Usage;

/// <summary>
/// The StreamUsage protocol for agent authors. Records are added one by one and encoded at once into
/// the open batch; a full (or old enough) batch is sealed: numbered and written to the spool before it
/// may be sent, so that nothing is lost when the agent or the host dies. <see cref="RunAsync"/> keeps
/// one stream open: it resumes after the host's last committed sequence (dropping what the host
/// already has), sends up to the window the host announces without waiting, deletes a batch from the
/// spool once it is acknowledged (after its commit), handles refusals (an item whose quota is used up
/// is stopped until the next site day and the batch's other records are sent again), and reconnects
/// with jittered exponential backoff.
/// </summary>
public sealed class UsageUploader : IAsyncDisposable
{
    // StreamUsage with the request already serialized: each batch is encoded once, for the spool and the wire.
    private static readonly Method<byte[], StreamUsageResponse> StreamMethod = new(
        MethodType.DuplexStreaming, "guance.billing.v1.UsageService", "StreamUsage",
        Marshallers.Create<byte[]>((bytes, context) => context.Complete(bytes), context => context.PayloadAsNewBuffer()),
        Marshallers.Create<StreamUsageResponse>((message, context) => context.Complete(message.ToByteArray()),
            context => StreamUsageResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence())));

    private readonly CallInvoker _invoker;
    private readonly UsageUploaderOptions _options;
    private readonly UsageSpool _spool;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _sealing = new(1, 1);
    private readonly SemaphoreSlim _capacity;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly PendingBatches _pending = new();
    private readonly StoppedItems _stopped;
    private readonly UsageBatchEncoder _open = new();
    private long _openSince;
    private long _lastSequence;
    private long _nextLocalId;
    private int _maxRecords;
    private DateTimeOffset _pausedUntil;

    /// <param name="invoker">Calls of the host with the collector token, for example
    /// <c>channel.CreateCallInvoker().Intercept(m => { m.Add("authorization", "Bearer gct_..."); return m; })</c>.</param>
    /// <param name="options">The collector id, the spool and the limits.</param>
    public UsageUploader(CallInvoker invoker, UsageUploaderOptions options)
    {
        _invoker = invoker;
        _options = options;
        _maxRecords = Math.Max(1, options.MaxRecordsPerBatch);
        _spool = new UsageSpool(options.SpoolDirectory, options.SyncSpoolWrites);
        _stopped = new StoppedItems(options.Clock);
        foreach (var (localId, batch) in _spool.Load())
        {
            // Left by a previous run: it may have been sent (and committed) already; the host's mark decides.
            var encoded = UsageBatchEncoder.Encode(batch.Records, batch.Sequence);
            _pending.Insert(new PendingBatch(localId, batch.Sequence, encoded.Request, encoded.BatchOffset, encoded.Records, sentBefore: true));
            _nextLocalId = Math.Max(_nextLocalId, localId + 1);
            _lastSequence = Math.Max(_lastSequence, batch.Sequence);
        }
        _capacity = new SemaphoreSlim(Math.Max(0, Math.Max(1, options.MaxPendingBatches) - _pending.Count), int.MaxValue);
    }

    public event Action<BatchAcknowledged>? Acknowledged;
    public event Action<BatchRejected>? Rejected;
    public event Action<ItemStopped>? ItemStopped;
    public event Action<UploaderConnected>? Connected;
    public event Action<UploaderDisconnected>? Disconnected;

    /// <summary>A new stream waits to start, most likely for a free stream slot on its connection (see <see cref="Usage.StreamWaiting"/>).</summary>
    public event Action<StreamWaiting>? StreamWaiting;

    public UsageUploaderStatistics Statistics { get; } = new();

    /// <summary>Sealed batches not yet answered by the host.</summary>
    public int PendingBatches
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Records added but not yet sealed into a batch: in memory only, until a flush writes them to the spool.</summary>
    public int OpenRecords
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Whether records of the item are currently dropped (its quota is used up, or the workspace may not report it).</summary>
    public bool IsStopped(BillingItem item) => _stopped.IsStopped(item);

    /// <summary>Sends the item again (for example after an upgrade to the commercial plan).</summary>
    public void Resume(BillingItem item) => _stopped.Resume(item);

    /// <summary>Adds a record: see <see cref="AddAsync(UsageRecord, CancellationToken)"/>.</summary>
    public ValueTask<bool> AddAsync(BillingItem item, long quantity, DateTimeOffset observedAt, CancellationToken cancellationToken = default)
    {
        var ticks = observedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }
        return Add((int)item, quantity, seconds, (int)(rest * 100), null, cancellationToken);
    }

    /// <summary>
    /// Adds a record; false when its item is stopped (the record is dropped). Waits only when a full
    /// batch is sealed while <see cref="UsageUploaderOptions.MaxPendingBatches"/> are unanswered.
    /// </summary>
    public ValueTask<bool> AddAsync(UsageRecord record, CancellationToken cancellationToken = default) =>
        Add((int)record.Item, record.Quantity, record.ObservedAt?.Seconds ?? 0, record.ObservedAt?.Nanos ?? 0, record.ObservedAt is null ? record : null, cancellationToken);

    private ValueTask<bool> Add(int item, long quantity, long seconds, int nanos, UsageRecord? unstamped, CancellationToken cancellationToken)
    {
        if (_stopped.Any && _stopped.IsStopped((BillingItem)item))
        {
            Interlocked.Increment(ref Statistics._recordsDropped);
            return ValueTask.FromResult(false);
        }
        bool full;
        lock (_gate)
        {
            if (_open.Count == 0)
            {
                _openSince = Stopwatch.GetTimestamp();
            }
            if (unstamped is null)
            {
                _open.Add(item, quantity, seconds, nanos);
            }
            else
            {
                _open.Add(unstamped);
            }
            full = _open.Count >= _maxRecords;
        }
        Interlocked.Increment(ref Statistics._recordsAdded);
        return full ? SealThenTrue(cancellationToken) : ValueTask.FromResult(true);
    }

    /// <summary>Seals the records added so far into a batch.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default) => await SealAsync(cancellationToken);

    /// <summary>Flushes, then waits until the host has answered every batch.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken);
        while (PendingBatches > 0)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Keeps a stream open until cancelled: sends, resends after reconnects, handles answers.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var flusher = FlushPeriodicallyAsync(cancellationToken);
        var attempt = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                bool healthy = false;
                try
                {
                    await PumpAsync(() => healthy = true, cancellationToken);
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    attempt = healthy ? 1 : attempt + 1;
                    var ceiling = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20)));
                    var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
                    Interlocked.Increment(ref Statistics._reconnects);
                    Disconnected?.Invoke(new UploaderDisconnected(e, delay));
                    try
                    {
                        await Task.Delay(delay, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }
        }
        finally
        {
            try
            {
                await flusher;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _sealing.Dispose();
        _capacity.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<bool> SealThenTrue(CancellationToken cancellationToken)
    {
        await SealAsync(cancellationToken);
        return true;
    }

    /// <summary>Numbers the open batch, writes it to the spool, then makes it sendable; in that order, one batch at a time.</summary>
    private async Task SealAsync(CancellationToken cancellationToken)
    {
        await _capacity.WaitAsync(cancellationToken);
        var sealedOne = false;
        try
        {
            // Cancelled while another seal holds the lock, the slot taken above is given back (finally).
            await _sealing.WaitAsync(cancellationToken);
            try
            {
                PendingBatch entry;
                lock (_gate)
                {
                    if (_open.Count == 0)
                    {
                        return;
                    }
                    var sequence = NextSequence();
                    var (request, offset, records) = _open.Seal(sequence);
                    entry = new PendingBatch(_nextLocalId++, sequence, request, offset, records, sentBefore: false);
                }
                _spool.Write(entry.LocalId, entry.BatchBytes);
                lock (_gate)
                {
                    _pending.Insert(entry);
                }
                sealedOne = true;
                Interlocked.Increment(ref Statistics._batchesSealed);
            }
            finally
            {
                _sealing.Release();
            }
        }
        finally
        {
            if (!sealedOne)
            {
                _capacity.Release();
            }
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Rising sequences that also survive a lost spool: never below the wall clock in microseconds.</summary>
    private long NextSequence()
    {
        var clock = (_options.Clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        _lastSequence = Math.Max(_lastSequence + 1, clock);
        return _lastSequence;
    }

    private async Task FlushPeriodicallyAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Max(10, _options.FlushInterval.TotalMilliseconds / 4));
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(period, cancellationToken);
            bool due;
            lock (_gate)
            {
                due = _open.Count > 0 && Stopwatch.GetElapsedTime(_openSince) >= _options.FlushInterval;
            }
            if (due)
            {
                await FlushAsync(cancellationToken);
            }
        }
    }

    private async Task PumpAsync(Action healthy, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = _invoker.AsyncDuplexStreamingCall(StreamMethod, null, new CallOptions(cancellationToken: stop.Token));
        await OpenAsync(call.RequestStream, stop.Token);
        if (!await call.ResponseStream.MoveNext(stop.Token) || call.ResponseStream.Current.KindCase != StreamUsageResponse.KindOneofCase.Opened)
        {
            throw new IOException("The host ended the stream without opening it.");
        }
        var opened = call.ResponseStream.Current.Opened;
        var resent = await ResumeAfterAsync(opened, stop.Token);
        Connected?.Invoke(new UploaderConnected(opened.LastCommittedSequence, opened.MaxBatchesInFlight, resent));

        var sender = SendAsync(call.RequestStream, stop.Token);
        try
        {
            while (await call.ResponseStream.MoveNext(stop.Token))
            {
                healthy();
                await HandleAsync(call.ResponseStream.Current, stop.Token);
            }
            throw new IOException("The host ended the stream.");
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await sender;
            }
            catch (Exception)
            {
                // The receiving side's error is the one that counts.
            }
            lock (_gate)
            {
                _pending.Restart();
            }
        }
    }

    /// <summary>
    /// Sends the open. The write completes once the HTTP/2 stream has started; a connection whose stream slots are
    /// all taken queues it without a word, so a write still pending after the warning time is reported.
    /// </summary>
    private async Task OpenAsync(IClientStreamWriter<byte[]> requests, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var open = requests.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = _options.CollectorId } }.ToByteArray(), cancellationToken);
        if (!open.IsCompleted && _options.StreamWaitWarning > TimeSpan.Zero)
        {
            using var warning = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var elapsed = Task.Delay(_options.StreamWaitWarning, warning.Token);
            if (await Task.WhenAny(open, elapsed) == elapsed && !cancellationToken.IsCancellationRequested)
            {
                StreamWaiting?.Invoke(new StreamWaiting(_options.CollectorId, Stopwatch.GetElapsedTime(started)));
            }
            await warning.CancelAsync();
        }
        await open;
    }

    /// <summary>Drops what the host has committed already and starts sending from the first batch above its mark.</summary>
    private async Task<int> ResumeAfterAsync(UsageStreamOpened opened, CancellationToken cancellationToken)
    {
        List<PendingBatch> committed, renumber;
        int resent;
        lock (_gate)
        {
            _pending.Window = Math.Max(1, opened.MaxBatchesInFlight);
            _maxRecords = Math.Max(1, Math.Min(_options.MaxRecordsPerBatch, opened.MaxRecordsPerBatch > 0 ? opened.MaxRecordsPerBatch : int.MaxValue));
            (committed, renumber) = _pending.TakeAtOrBelow(opened.LastCommittedSequence);
            _lastSequence = Math.Max(_lastSequence, opened.LastCommittedSequence);
            resent = _pending.SentBefore;
        }
        foreach (var entry in committed)
        {
            _spool.Delete(entry.LocalId);
            Interlocked.Increment(ref Statistics._batchesAcknowledged);
            Interlocked.Increment(ref Statistics._batchesDuplicate);
            Interlocked.Add(ref Statistics._recordsAcknowledged, entry.Records);
            _capacity.Release();
            Acknowledged?.Invoke(new BatchAcknowledged(entry.Sequence, entry.Records, true, TimeSpan.Zero));
        }
        foreach (var entry in renumber)
        {
            await RequeueAsync(entry, entry.Parse().Records, cancellationToken);
        }
        return resent;
    }

    private async Task SendAsync(IClientStreamWriter<byte[]> requests, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            PendingBatch? next = null;
            TimeSpan pause = TimeSpan.Zero;
            lock (_gate)
            {
                var now = _options.Clock.GetUtcNow();
                if (_pausedUntil > now)
                {
                    pause = _pausedUntil - now;
                }
                else if ((next = _pending.TakeNextToSend()) is not null)
                {
                    if (next.SentBefore)
                    {
                        Interlocked.Increment(ref Statistics._batchesResent);
                    }
                    next.SentBefore = true;
                    next.SentAt = Stopwatch.GetTimestamp();
                }
            }
            if (next is null)
            {
                await WaitForWorkAsync(pause, cancellationToken);
                continue;
            }
            if (_stopped.Any && !StripStoppedItems(next))
            {
                continue;
            }
            Interlocked.Increment(ref Statistics._batchesSent);
            await requests.WriteAsync(next.Request, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the records of stopped items out of a batch before it is sent (the spool file is rewritten
    /// in place, same sequence); false when nothing is left and the batch was dropped.
    /// </summary>
    private bool StripStoppedItems(PendingBatch entry)
    {
        var records = entry.Parse().Records;
        if (!records.Any(r => _stopped.IsStopped(r.Item)))
        {
            return true;
        }
        var kept = records.Where(r => !_stopped.IsStopped(r.Item)).ToList();
        Interlocked.Add(ref Statistics._recordsDropped, records.Count - kept.Count);
        if (kept.Count > 0)
        {
            var encoded = UsageBatchEncoder.Encode(kept, entry.Sequence);
            _spool.Write(entry.LocalId, encoded.Request.AsSpan(encoded.BatchOffset));
            lock (_gate)
            {
                entry.Replace(encoded, entry.Sequence);
            }
            return true;
        }
        lock (_gate)
        {
            _pending.Drop(entry);
        }
        _spool.Delete(entry.LocalId);
        _capacity.Release();
        return false;
    }

    private async Task WaitForWorkAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        var wake = _wake.Reader.WaitToReadAsync(cancellationToken).AsTask();
        if (pause > TimeSpan.Zero)
        {
            await Task.WhenAny(wake, Task.Delay(pause, cancellationToken));
        }
        else
        {
            await wake;
        }
        _wake.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task HandleAsync(StreamUsageResponse response, CancellationToken cancellationToken)
    {
        var sequence = response.KindCase switch
        {
            StreamUsageResponse.KindOneofCase.Ack => response.Ack.Sequence,
            StreamUsageResponse.KindOneofCase.Rejected => response.Rejected.Sequence,
            _ => throw new IOException($"Unexpected message from the host: {response.KindCase}."),
        };
        PendingBatch? entry;
        lock (_gate)
        {
            entry = _pending.Answered(sequence);
        }
        _wake.Writer.TryWrite(true);
        if (entry is null)
        {
            return;
        }
        if (response.KindCase == StreamUsageResponse.KindOneofCase.Ack)
        {
            _spool.Delete(entry.LocalId);
            _capacity.Release();
            Interlocked.Increment(ref Statistics._batchesAcknowledged);
            Interlocked.Add(ref Statistics._recordsAcknowledged, entry.Records);
            if (response.Ack.Duplicate)
            {
                Interlocked.Increment(ref Statistics._batchesDuplicate);
            }
            Acknowledged?.Invoke(new BatchAcknowledged(sequence, entry.Records, response.Ack.Duplicate, Stopwatch.GetElapsedTime(entry.SentAt)));
            return;
        }
        await RejectAsync(entry, response.Rejected.Status, cancellationToken);
    }

    /// <summary>Acts on a refusal: stops what the host refuses and sends the batch's other records again under a new number.</summary>
    private async Task RejectAsync(PendingBatch entry, Google.Rpc.Status status, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Statistics._batchesRejected);
        var records = entry.Parse().Records;
        var refusal = UsageRefusal.Read(status, records);
        if (refusal.StoppedItem is { } item)
        {
            _stopped.Stop(item, refusal.StoppedUntil);
            ItemStopped?.Invoke(new ItemStopped(item, refusal.Reason, refusal.StoppedUntil));
        }
        if (refusal.PausesWorkspace)
        {
            lock (_gate)
            {
                _pausedUntil = _options.Clock.GetUtcNow() + _options.LockedRetryDelay;
            }
        }
        var changed = refusal.Keep.Count < records.Count || refusal.PausesWorkspace;
        var requeued = changed ? refusal.Keep.Count : 0;
        Interlocked.Add(ref Statistics._recordsDropped, records.Count - requeued);
        Rejected?.Invoke(new BatchRejected(entry.Sequence, records.Count, status, refusal.Reason, requeued));
        if (requeued == 0)
        {
            // Nothing left to send, or nothing the refusal named: the batch is dropped.
            _spool.Delete(entry.LocalId);
            _capacity.Release();
            return;
        }
        await RequeueAsync(entry, refusal.Keep, cancellationToken);
    }

    /// <summary>The same spool file (an atomic rewrite) with a new, higher sequence.</summary>
    private async Task RequeueAsync(PendingBatch entry, IEnumerable<UsageRecord> records, CancellationToken cancellationToken)
    {
        await _sealing.WaitAsync(cancellationToken);
        try
        {
            long sequence;
            lock (_gate)
            {
                sequence = NextSequence();
            }
            var encoded = UsageBatchEncoder.Encode(records, sequence);
            _spool.Write(entry.LocalId, encoded.Request.AsSpan(encoded.BatchOffset));
            lock (_gate)
            {
                entry.Replace(encoded, sequence);
                entry.SentBefore = false;
                _pending.Insert(entry);
            }
        }
        finally
        {
            _sealing.Release();
        }
        _wake.Writer.TryWrite(true);
    }
}
