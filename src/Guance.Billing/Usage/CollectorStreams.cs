namespace Guance.Billing.Usage;

/// <summary>
/// The StreamUsage calls on this host: all of them (<see cref="UsageOptions.MaxStreams"/>), those of each
/// collector token (<see cref="UsageOptions.MaxStreamsPerToken"/>), counted from the call's start so that
/// calls that never open are bounded too, and the opened streams of each collector
/// (<see cref="UsageOptions.MaxStreamsPerCollector"/>). The limits protect this host; correctness across
/// hosts rests on the collector's mark, not on this.
/// </summary>
public sealed class CollectorStreams
{
    private readonly Dictionary<(string Workspace, string Collector), int> _open = new();
    private readonly Dictionary<string, int> _calls = new();
    private int _allCalls;
    private readonly Lock _gate = new();

    /// <summary>Registers a new call of a token; RESOURCE_EXHAUSTED when the host or the token has its limit already.</summary>
    public IDisposable AcquireCall(string tokenId, int perToken, int total)
    {
        lock (_gate)
        {
            if (_allCalls >= total)
            {
                throw UsageErrors.HostStreamLimit(total);
            }
            var count = _calls.GetValueOrDefault(tokenId);
            if (count >= perToken)
            {
                throw UsageErrors.TokenStreamLimit(tokenId, perToken);
            }
            _calls[tokenId] = count + 1;
            _allCalls++;
        }
        return new Release(() => ReturnCall(tokenId));
    }

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
        return new Release(() => Return(key));
    }

    public int OpenCount(string workspaceId, string collectorId)
    {
        lock (_gate)
        {
            return _open.GetValueOrDefault((workspaceId, collectorId));
        }
    }

    /// <summary>The StreamUsage calls on this host now, opened or not.</summary>
    public int CallCount
    {
        get
        {
            lock (_gate)
            {
                return _allCalls;
            }
        }
    }

    private void Return((string, string) key)
    {
        lock (_gate)
        {
            Decrement(_open, key);
        }
    }

    private void ReturnCall(string tokenId)
    {
        lock (_gate)
        {
            Decrement(_calls, tokenId);
            _allCalls--;
        }
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        if (counts.TryGetValue(key, out var count) && count > 1)
        {
            counts[key] = count - 1;
        }
        else
        {
            counts.Remove(key);
        }
    }

    private sealed class Release(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }
        }
    }
}
