using System.Globalization;
using System.Text.RegularExpressions;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// A writer's group commits, from the host's Prometheus endpoint: the usage writer's (<c>guance.usage.commit.batches</c>
/// and <c>guance.usage.commit.duration</c>, <see cref="Usage"/>) or the charge writer's (<see cref="Charges"/>): how many
/// commits a phase took, how many batches or charges each carried and how long each held the writer. Read before and
/// after a phase and subtract.
/// </summary>
internal sealed partial class HostCommits(Uri opsEndpoint, string carried, string durationHistogram, string what)
{
    public readonly record struct Reading(long Commits, double Carried, double Milliseconds);

    public static HostCommits Usage(Uri opsEndpoint) =>
        new(opsEndpoint, "guance_usage_commit_batches", "guance_usage_commit_duration_milliseconds", "batches");

    public static HostCommits Charges(Uri opsEndpoint) =>
        new(opsEndpoint, "guance_wallet_charge_commit_charges", "guance_wallet_charge_commit_duration_milliseconds", "charges");

    public async Task<Reading> ReadAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(opsEndpoint, "/metrics"));
        return new Reading((long)Sum(text, carried, "count"), Sum(text, carried, "sum"), Sum(text, durationHistogram, "sum"));
    }

    /// <summary>"N commits, B batches a commit, M ms a commit" between two readings.</summary>
    public string Between(Reading before, Reading after)
    {
        var commits = after.Commits - before.Commits;
        if (commits == 0)
        {
            return "no commits";
        }
        return $"{commits:N0} commits, {(after.Carried - before.Carried) / commits:0.00} {what} a commit, " +
            $"{(after.Milliseconds - before.Milliseconds) / commits:0.000} ms a commit";
    }

    private static double Sum(string text, string histogram, string part)
    {
        double total = 0;
        foreach (Match line in Series().Matches(text))
        {
            if (line.Groups["name"].Value == $"{histogram}_{part}")
            {
                total += double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    [GeneratedRegex("""^(?<name>[a-z_]+)(\{[^}]*\})? (?<value>[0-9.eE+-]+)""", RegexOptions.Multiline)]
    private static partial Regex Series();
}
