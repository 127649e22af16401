using System.Globalization;
using System.Text.RegularExpressions;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// How long the host itself took to answer each RPC, from its Prometheus endpoint (ASP.NET Core's
/// <c>http.server.request.duration</c> histogram, by route): beside the client's times, it tells a wait in
/// the host from one in the client's process or for a core. Read it before and after a phase and subtract.
/// </summary>
internal sealed partial class HostRequestDurations(Uri opsEndpoint)
{
    /// <summary>The histogram's bounds that the reads' targets fall on, in seconds.</summary>
    public static readonly string[] Bounds = ["0.005", "0.01", "0.025"];

    /// <summary>Per route: calls within each of <see cref="Bounds"/>, then all calls (cumulative counts since the host started).</summary>
    public async Task<Dictionary<string, long[]>> ReadAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(opsEndpoint, "/metrics"));
        var counts = new Dictionary<string, long[]>();
        foreach (Match bucket in Bucket().Matches(text))
        {
            var route = bucket.Groups["route"].Value;
            var at = Array.IndexOf(Bounds, bucket.Groups["le"].Value) is var i and >= 0 ? i : bucket.Groups["le"].Value == "+Inf" ? Bounds.Length : -1;
            if (at < 0)
            {
                continue;
            }
            if (!counts.TryGetValue(route, out var row))
            {
                counts[route] = row = new long[Bounds.Length + 1];
            }
            // One series per status code and protocol version: they add up.
            row[at] += long.Parse(bucket.Groups["count"].Value, CultureInfo.InvariantCulture);
        }
        return counts;
    }

    /// <summary>"a / b / c % of N": the share of the route's calls between two readings within 5, 10 and 25 ms.</summary>
    public static string Shares(Dictionary<string, long[]> before, Dictionary<string, long[]> after, string route)
    {
        var end = after.GetValueOrDefault(route) ?? new long[Bounds.Length + 1];
        var start = before.GetValueOrDefault(route) ?? new long[Bounds.Length + 1];
        var calls = end[Bounds.Length] - start[Bounds.Length];
        if (calls == 0)
        {
            return "no calls";
        }
        var shares = Enumerable.Range(0, Bounds.Length).Select(b => (100.0 * (end[b] - start[b]) / calls).ToString("0.0", CultureInfo.InvariantCulture));
        return $"{string.Join(" / ", shares)} % of {calls}";
    }

    [GeneratedRegex("""^http_server_request_duration_seconds_bucket\{[^}]*http_route="(?<route>[^"]+)"[^}]*le="(?<le>[^"]+)"\} (?<count>\d+)""", RegexOptions.Multiline)]
    private static partial Regex Bucket();
}
