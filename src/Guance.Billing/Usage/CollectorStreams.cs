namespace Guance.Billing.Usage;

/// <summary>
/// The open streams of each collector on this host, limited by <see cref="UsageOptions.MaxStreamsPerCollector"/>.
/// The limit protects this host; correctness across hosts rests on the collector's mark, not on this.
/// </summary>
public sealed class CollectorStreams
{
    private readonly Dictionary<(string Workspace, string Collector), int> _open = new();
    private readonly Lock _gate = new();

    /// <summary>Registers a stream; RESOURCE_EXHAUSTED (TOO_MANY_STREAMS) when the collector has its limit already.</summary>
    public IDisposable Acquire(string workspaceId, string collectorId, int limit)
    {
        var key = (workspaceId, collectorId);
        lock (_gate)
        {
            var count = _open.GetValueOrDefault(key);
            if (count >= limit)
            {
                throw UsageErrors.StreamLimit(collectorId, limit);
            }
            _open[key] = count + 1;
        }
        return new Release(this, key);
    }

    public int OpenCount(string workspaceId, string collectorId)
    {
        lock (_gate)
        {
            return _open.GetValueOrDefault((workspaceId, collectorId));
        }
    }

    private void Return((string, string) key)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(key, out var count) && count > 1)
            {
                _open[key] = count - 1;
            }
            else
            {
                _open.Remove(key);
            }
        }
    }

    private sealed class Release(CollectorStreams owner, (string, string) key) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Return(key);
            }
        }
    }
}
