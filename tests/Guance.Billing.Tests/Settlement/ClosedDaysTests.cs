using Guance.Billing.Settlement;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Tests.Settlement;

/// <summary>The in-memory day-close answer: the grace rule, or earlier when CloseDay ran on this host.</summary>
public sealed class ClosedDaysTests
{
    private static readonly Site Shanghai = Sites.Get("cn1");
    private static readonly DateOnly Day = new(2026, 11, 2);

    [Fact]
    public void A_day_never_closed_refuses_records_once_its_end_plus_the_grace_has_passed()
    {
        var days = new ClosedDays(Options.Create(new UsageOptions { LateGrace = TimeSpan.FromMinutes(30) }));
        var end = Shanghai.StartOf(Day.AddDays(1)); // 2026-11-02T16:00Z
        Assert.False(days.IsClosed(Shanghai, Day, end.AddMinutes(29)));
        Assert.True(days.IsClosed(Shanghai, Day, end.AddMinutes(30)));
        Assert.Equal(end.AddMinutes(30), days.ClosesAt(Shanghai, Day));
    }

    [Fact]
    public void A_day_closed_early_refuses_records_from_its_close_on()
    {
        var days = new ClosedDays(Options.Create(new UsageOptions { LateGrace = TimeSpan.FromMinutes(30) }));
        var end = Shanghai.StartOf(Day.AddDays(1));
        days.Remember(Shanghai, Day, end.AddMinutes(5));
        Assert.True(days.IsClosed(Shanghai, Day, end.AddMinutes(6)));
        Assert.Equal(end.AddMinutes(5), days.ClosesAt(Shanghai, Day));
        Assert.False(days.IsClosed(Sites.Get("cn2"), Day, end.AddMinutes(6)));
    }
}
