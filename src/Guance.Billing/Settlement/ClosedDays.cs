using System.Collections.Concurrent;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Settlement;

/// <summary>
/// Usage's day-close oracle once settlement exists. A site-day refuses records (DAY_CLOSED) once
/// CloseDay has closed it, or once its end plus the late grace has passed, whichever comes first:
/// the grace is the promise made to agents (docs/domain.md §5), so neither the day-close job nor an operator's
/// CloseDay closes a day before it (a close marked earlier, by an older version, still counts). This answer is the early, in-memory refusal of a
/// batch; the exact one is the usage writer's, which reads the day's close row inside its
/// transaction, so that no point lands in a day after CloseDay marked it (see <see cref="DayCloseMarker"/>).
/// </summary>
public sealed class ClosedDays(IOptions<UsageOptions> options) : IDayCloseOracle
{
    private readonly ConcurrentDictionary<(string Site, DateOnly Day), DateTimeOffset> _closed = new();

    public bool IsClosed(Site site, DateOnly day, DateTimeOffset now) =>
        now >= GraceEnd(site, day) || _closed.ContainsKey((site.Code, day));

    public DateTimeOffset ClosesAt(Site site, DateOnly day)
    {
        var graceEnd = GraceEnd(site, day);
        return _closed.TryGetValue((site.Code, day), out var closedAt) && closedAt < graceEnd ? closedAt : graceEnd;
    }

    /// <summary>Records a close this host made or saw.</summary>
    public void Remember(Site site, DateOnly day, DateTimeOffset closedAt) => _closed.TryAdd((site.Code, day), closedAt);

    private DateTimeOffset GraceEnd(Site site, DateOnly day) => site.StartOf(day.AddDays(1)) + options.Value.LateGrace;
}
