using System.Diagnostics;
using System.Threading.Channels;
using Guance.Billing.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Wallets;

/// <summary>
/// Group commit of the Charge and ChargeBatch RPCs (like the usage writer's): validated charges wait in
/// one bounded queue; a writer takes every charge waiting (up to <see cref="WalletOptions.MaxChargesPerCommit"/>)
/// and charges them in one transaction (<see cref="ChargeEngine.ChargeGroupAsync"/>), so that charges
/// of different accounts that arrive together share the locks' round trips, one save and one commit.
/// Each caller is answered after the commit. When a group fails as a whole, each of its charges is
/// charged again alone, so that nothing of one charge can fail another.
/// A batch is queued in parts of at most that many charges, one part after the other; a part is never
/// split between groups, so its charges are charged in their order as one after the other would be.
/// </summary>
public sealed class ChargeWriter : IDisposable
{
    private readonly Channel<PendingCharges> _queue = Channel.CreateBounded<PendingCharges>(new BoundedChannelOptions(4096)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly IServiceScopeFactory _scopes;
    private readonly WalletOptions _options;
    private readonly int _writerCount;
    private readonly ILogger<ChargeWriter> _logger;
    private readonly WalletMetrics _metrics;
    private readonly Lock _startLock = new();
    private Task[]? _writers;

    public ChargeWriter(IServiceScopeFactory scopes, IOptions<WalletOptions> options, IOptions<GuanceOptions> guance, WalletMetrics metrics, ILogger<ChargeWriter> logger)
    {
        _scopes = scopes;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        _writerCount = _options.ChargeWriters > 0 ? _options.ChargeWriters : guance.Value.Database.Provider == DatabaseProvider.Sqlite ? 1 : 4;
    }

    private int MaxPerCommit => Math.Max(1, _options.MaxChargesPerCommit);

    /// <summary>
    /// Queues a valid charge and waits for its outcome, which comes after its commit. A caller that
    /// stops waiting does not take the charge back: it may still commit, and the same reference
    /// later replays it.
    /// </summary>
    public async Task<ChargeOutcome> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        var attempt = (await SubmitAsync([request], cancellationToken))[0];
        return attempt.Outcome ?? throw attempt.Refusal!;
    }

    /// <summary>
    /// Charges valid requests in their order, each with the result it would have alone (a refusal is only
    /// its own): queued in parts of <see cref="WalletOptions.MaxChargesPerCommit"/>, each committed in one
    /// group before the next part is queued. A caller that stops waiting leaves the parts committed so far;
    /// the same references later replay them.
    /// </summary>
    public async Task<IReadOnlyList<ChargeAttempt>> ChargeManyAsync(IReadOnlyList<ChargeRequest> requests, CancellationToken cancellationToken)
    {
        var attempts = new List<ChargeAttempt>(requests.Count);
        foreach (var part in requests.Chunk(MaxPerCommit))
        {
            attempts.AddRange(await SubmitAsync(part, cancellationToken));
        }
        return attempts;
    }

    private async Task<IReadOnlyList<ChargeAttempt>> SubmitAsync(IReadOnlyList<ChargeRequest> requests, CancellationToken cancellationToken)
    {
        EnsureStarted();
        var pending = new PendingCharges(requests);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw Errors.Unavailable(ErrorReasons.StorageUnavailable, "The host is stopping; retry the charge with the same reference.", TimeSpan.FromSeconds(1));
        }
        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking charges and commits those queued.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        Task[]? writers;
        lock (_startLock)
        {
            writers = _writers;
        }
        if (writers is not null)
        {
            Task.WaitAll(writers, TimeSpan.FromSeconds(30));
        }
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _writers) is not null)
        {
            return;
        }
        lock (_startLock)
        {
            _writers ??= Enumerable.Range(0, Math.Max(1, _writerCount)).Select(_ => Task.Run(RunAsync)).ToArray();
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<PendingCharges>();
        while (await reader.WaitToReadAsync())
        {
            group.Clear();
            var charges = 0;
            // A part that would overflow the group waits for the next one (unless the group is empty).
            while (reader.TryPeek(out var next) && (charges == 0 || charges + next.Requests.Count <= MaxPerCommit) && reader.TryRead(out var pending))
            {
                group.Add(pending);
                charges += pending.Requests.Count;
            }
            if (group.Count > 0)
            {
                await CommitAsync(group);
            }
        }
    }

    private async Task CommitAsync(List<PendingCharges> group)
    {
        try
        {
            IReadOnlyList<ChargeAttempt> attempts;
            var started = Stopwatch.GetTimestamp();
            await using (var scope = _scopes.CreateAsyncScope())
            {
                attempts = await scope.ServiceProvider.GetRequiredService<ChargeEngine>().ChargeGroupAsync(group.SelectMany(p => p.Requests).ToList(), CancellationToken.None);
            }
            _metrics.Committed(attempts.Count, Stopwatch.GetElapsedTime(started));
            var offset = 0;
            foreach (var pending in group)
            {
                pending.Completion.TrySetResult(attempts.Skip(offset).Take(pending.Requests.Count).ToList());
                offset += pending.Requests.Count;
            }
            return;
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "A group of {Charges} charges failed as a whole; each is charged alone.", group.Sum(p => p.Requests.Count));
        }
        foreach (var pending in group)
        {
            await ChargeEachAloneAsync(pending);
        }
    }

    private async Task ChargeEachAloneAsync(PendingCharges pending)
    {
        var attempts = new List<ChargeAttempt>(pending.Requests.Count);
        foreach (var request in pending.Requests)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                attempts.Add(new ChargeAttempt(await scope.ServiceProvider.GetRequiredService<ChargeEngine>().ChargeAloneAsync(request, CancellationToken.None), null));
            }
            catch (BillingException refused)
            {
                attempts.Add(new ChargeAttempt(null, refused));
            }
            catch (Exception e)
            {
                // Not a refusal of this charge (the storage failed): the rest of the part is not tried, so that
                // a retry charges them in their order; those committed replay.
                pending.Completion.TrySetException(e);
                return;
            }
        }
        pending.Completion.TrySetResult(attempts);
    }

    private sealed class PendingCharges(IReadOnlyList<ChargeRequest> requests)
    {
        public IReadOnlyList<ChargeRequest> Requests { get; } = requests;
        public TaskCompletionSource<IReadOnlyList<ChargeAttempt>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
