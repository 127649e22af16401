using Guance.Billing.Workspaces;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Usage;

/// <summary>
/// Says whether a site-day is closed to usage. Until settlement exists a day closes when its end
/// plus the late grace has passed; settlement replaces this with "the day is closed when CloseDay ran".
/// </summary>
public interface IDayCloseOracle
{
    /// <summary>Whether records for <paramref name="day"/> of <paramref name="site"/> are refused at <paramref name="now"/>.</summary>
    bool IsClosed(Site site, DateOnly day, DateTimeOffset now);

    /// <summary>The instant a day closes to late records, for the agent's information.</summary>
    DateTimeOffset ClosesAt(Site site, DateOnly day);
}

/// <summary>A day closes at its end plus <see cref="UsageOptions.LateGrace"/>.</summary>
public sealed class GraceDayCloseOracle(IOptions<UsageOptions> options) : IDayCloseOracle
{
    public bool IsClosed(Site site, DateOnly day, DateTimeOffset now) => now >= ClosesAt(site, day);

    public DateTimeOffset ClosesAt(Site site, DateOnly day) => site.StartOf(day.AddDays(1)) + options.Value.LateGrace;
}
