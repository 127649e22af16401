using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace Guance.Billing.IntegrationTests.Client;

/// <summary>
/// Sits between a client's channel and the in-memory host: records every HTTP/2 request the channel
/// sends (one per attempt) and can answer the first attempts of a method with UNAVAILABLE, the way
/// a host that restarts or a load balancer that drains does.
/// </summary>
public sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Answers the next <paramref name="count"/> attempts of <c>Service/Method</c> with UNAVAILABLE.</summary>
    public void FailNext(string method, int count) => _failuresLeft[Path(method)] = count;

    public IReadOnlyList<RecordedRequest> AttemptsOf(string method) =>
        Requests.Where(r => r.Path == Path(method)).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        Requests.Enqueue(new RecordedRequest(path, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)));
        if (_failuresLeft.TryGetValue(path, out var left) && left > 0 && _failuresLeft.TryUpdate(path, left - 1, left))
        {
            return Unavailable(request);
        }
        return await base.SendAsync(request, cancellationToken);
    }

    private static string Path(string method) => "/guance.billing.v1." + method;

    /// <summary>A trailers-only gRPC response with status UNAVAILABLE.</summary>
    private static HttpResponseMessage Unavailable(HttpRequestMessage request)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Version = HttpVersion.Version20,
            RequestMessage = request,
            Content = new ByteArrayContent([]),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        response.Headers.Add("grpc-status", "14");
        response.Headers.Add("grpc-message", "injected: the host is restarting");
        return response;
    }
}

/// <summary>One attempt as the host would have received it.</summary>
public sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The grpc-timeout header (value and unit: H, M, S, m, u, n) as a duration.</summary>
    public TimeSpan? Timeout
    {
        get
        {
            if (Header("grpc-timeout") is not { Length: > 1 } text)
            {
                return null;
            }
            var value = long.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture);
            return text[^1] switch
            {
                'H' => TimeSpan.FromHours(value),
                'M' => TimeSpan.FromMinutes(value),
                'S' => TimeSpan.FromSeconds(value),
                'm' => TimeSpan.FromMilliseconds(value),
                'u' => TimeSpan.FromMicroseconds(value),
                'n' => TimeSpan.FromTicks(value / 100),
                _ => throw new FormatException($"grpc-timeout '{text}'"),
            };
        }
    }
}
