using Guance.Billing.V1;

namespace Guance.Billing.Client.Usage;

/// <summary>The items whose records are dropped, each until a time (its quota resets) or for good (<see cref="DateTimeOffset.MaxValue"/>).</summary>
internal sealed class StoppedItems(TimeProvider clock)
{
    private readonly DateTimeOffset[] _until = new DateTimeOffset[64];
    private int _count;

    /// <summary>A cheap check before the per-item one: whether any item was stopped and not resumed.</summary>
    public bool Any => Volatile.Read(ref _count) > 0;

    public bool IsStopped(BillingItem item) =>
        (uint)item < (uint)_until.Length && _until[(int)item] != default && _until[(int)item] > clock.GetUtcNow();

    public void Stop(BillingItem item, DateTimeOffset until)
    {
        if (_until[(int)item] == default)
        {
            Interlocked.Increment(ref _count);
        }
        _until[(int)item] = until;
    }

    public void Resume(BillingItem item)
    {
        if (_until[(int)item] != default)
        {
            _until[(int)item] = default;
            Interlocked.Decrement(ref _count);
        }
    }
}
