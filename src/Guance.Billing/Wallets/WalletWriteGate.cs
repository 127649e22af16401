using Guance.Billing.Common;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Wallets;

/// <summary>
/// SQLite has one writer at a time, and a waiting writer polls its lock; queueing this process's
/// wallet writes here lets them take turns without polling. Not a guard of correctness (another
/// process, or PostgreSQL with several hosts, does not share it): see <see cref="WalletLedger"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A singleton for the life of the host whose SemaphoreSlim never makes a wait handle: nothing to free, and a dispose at shutdown could fail a release still in flight.")]
public sealed class WalletWriteGate(IOptions<GuanceOptions> guance, IOptions<WalletOptions> wallet)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _enabled = guance.Value.Database.Provider == DatabaseProvider.Sqlite && wallet.Value.QueueSqliteWrites;

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return Released.Instance;
        }
        await _gate.WaitAsync(cancellationToken);
        return new Releaser(_gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private sealed class Released : IDisposable
    {
        public static readonly Released Instance = new();

        public void Dispose()
        {
        }
    }
}
