using System.Threading.Channels;
using Guance.Billing.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Wallets;

/// <summary>
/// Group commit of the Charge RPC (like the usage writer's): validated charges wait in one bounded
/// queue; a writer takes every charge waiting (up to <see cref="WalletOptions.MaxChargesPerCommit"/>)
/// and charges them in one transaction (<see cref="ChargeEngine.ChargeGroupAsync"/>), so that charges
/// of different accounts that arrive together share the locks' round trips, one save and one commit.
/// Each caller is answered after the commit. When a group fails as a whole, each of its charges is
/// charged again alone, so that nothing of one charge can fail another.
/// </summary>
public sealed class ChargeWriter : IDisposable
{
    private readonly Channel<PendingCharge> _queue = Channel.CreateBounded<PendingCharge>(new BoundedChannelOptions(4096)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly IServiceScopeFactory _scopes;
    private readonly WalletOptions _options;
    private readonly int _writerCount;
    private readonly ILogger<ChargeWriter> _logger;
    private readonly Lock _startLock = new();
    private Task[]? _writers;

    public ChargeWriter(IServiceScopeFactory scopes, IOptions<WalletOptions> options, IOptions<GuanceOptions> guance, ILogger<ChargeWriter> logger)
    {
        _scopes = scopes;
        _options = options.Value;
        _logger = logger;
        _writerCount = _options.ChargeWriters > 0 ? _options.ChargeWriters : guance.Value.Database.Provider == DatabaseProvider.Sqlite ? 1 : 4;
    }

    /// <summary>
    /// Queues a valid charge and waits for its outcome, which comes after its commit. A caller that
    /// stops waiting does not take the charge back: it may still commit, and the same reference
    /// later replays it.
    /// </summary>
    public async Task<ChargeOutcome> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        EnsureStarted();
        var pending = new PendingCharge(request);
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
        var group = new List<PendingCharge>();
        while (await reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < Math.Max(1, _options.MaxChargesPerCommit) && reader.TryRead(out var pending))
            {
                group.Add(pending);
            }
            if (group.Count > 0)
            {
                await CommitAsync(group);
            }
        }
    }

    private async Task CommitAsync(List<PendingCharge> group)
    {
        try
        {
            IReadOnlyList<ChargeAttempt> attempts;
            await using (var scope = _scopes.CreateAsyncScope())
            {
                attempts = await scope.ServiceProvider.GetRequiredService<ChargeEngine>().ChargeGroupAsync(group.Select(p => p.Request).ToList(), CancellationToken.None);
            }
            for (var i = 0; i < group.Count; i++)
            {
                if (attempts[i].Outcome is { } outcome)
                {
                    group[i].Completion.TrySetResult(outcome);
                }
                else
                {
                    group[i].Completion.TrySetException(attempts[i].Refusal!);
                }
            }
            return;
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "A group of {Charges} charges failed as a whole; each is charged alone.", group.Count);
        }
        foreach (var pending in group)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                pending.Completion.TrySetResult(await scope.ServiceProvider.GetRequiredService<ChargeEngine>().ChargeAloneAsync(pending.Request, CancellationToken.None));
            }
            catch (Exception e)
            {
                pending.Completion.TrySetException(e);
            }
        }
    }

    private sealed class PendingCharge(ChargeRequest request)
    {
        public ChargeRequest Request { get; } = request;
        public TaskCompletionSource<ChargeOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
