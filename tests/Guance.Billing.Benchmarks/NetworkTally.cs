using System.Text.Json;
using Microsoft.Playwright;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// A tab's traffic from Chromium's DevTools protocol (CDP Network events): requests sent, bytes received
/// on the wire (<c>Network.loadingFinished</c> <c>encodedDataLength</c>: compressed bodies with their
/// response headers), bytes after decoding (<c>Network.dataReceived</c> <c>dataLength</c>), and responses
/// taken from the cache (their bytes not counted as on the wire). Resource Timing would miss the headers and caps its buffer at 250 entries.
/// </summary>
internal sealed class NetworkTally
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _urls = [];
    private readonly Dictionary<string, long> _bytesByUrl = [];
    private readonly HashSet<string> _cached = [];
    private int _requests;
    private int _fromCache;
    private long _transferred;
    private long _decoded;

    public sealed record Figures(int Requests, int FromCache, long Transferred, long Decoded, IReadOnlyList<(string Url, long Bytes)> Largest);

    public static async Task<NetworkTally> AttachAsync(IBrowserContext context, IPage page)
    {
        var tally = new NetworkTally();
        var session = await context.NewCDPSessionAsync(page);
        session.Event("Network.requestWillBeSent").OnEvent += (_, e) => tally.Sent(e);
        session.Event("Network.requestServedFromCache").OnEvent += (_, e) => tally.Cached(e);
        session.Event("Network.responseReceived").OnEvent += (_, e) => tally.Received(e);
        session.Event("Network.dataReceived").OnEvent += (_, e) => tally.Data(e);
        session.Event("Network.loadingFinished").OnEvent += (_, e) => tally.Finished(e);
        await session.SendAsync("Network.enable");
        return tally;
    }

    public Figures Snapshot()
    {
        lock (_gate)
        {
            var largest = _bytesByUrl.OrderByDescending(b => b.Value).Take(5).Select(b => (b.Key, b.Value)).ToList();
            return new Figures(_requests, _fromCache, _transferred, _decoded, largest);
        }
    }

    private void Sent(JsonElement? e)
    {
        if (e is not { } json || Text(json, "request", "url") is not { } url || url.StartsWith("data:", StringComparison.Ordinal))
        {
            return;
        }
        lock (_gate)
        {
            _requests++;
            _urls[Text(json, "requestId")!] = url;
        }
    }

    private void Cached(JsonElement? e)
    {
        if (e is { } json && Text(json, "requestId") is { } id)
        {
            lock (_gate)
            {
                if (_cached.Add(id))
                {
                    _fromCache++;
                }
            }
        }
    }

    private void Received(JsonElement? e)
    {
        if (e is { } json && json.GetProperty("response").TryGetProperty("fromDiskCache", out var disk) && disk.GetBoolean())
        {
            Cached(e);
        }
    }

    private void Data(JsonElement? e)
    {
        if (e is { } json)
        {
            lock (_gate)
            {
                _decoded += json.GetProperty("dataLength").GetInt64();
            }
        }
    }

    private void Finished(JsonElement? e)
    {
        if (e is not { } json)
        {
            return;
        }
        var bytes = (long)json.GetProperty("encodedDataLength").GetDouble();
        lock (_gate)
        {
            // A cached response reports its stored size; nothing crossed the network.
            if (_cached.Contains(Text(json, "requestId")!))
            {
                return;
            }
            _transferred += bytes;
            if (_urls.TryGetValue(Text(json, "requestId")!, out var url))
            {
                var path = new Uri(url).AbsolutePath;
                _bytesByUrl[path] = _bytesByUrl.GetValueOrDefault(path) + bytes;
            }
        }
    }

    private static string? Text(JsonElement json, params string[] path)
    {
        foreach (var name in path)
        {
            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out json))
            {
                return null;
            }
        }
        return json.ValueKind == JsonValueKind.String ? json.GetString() : null;
    }
}
