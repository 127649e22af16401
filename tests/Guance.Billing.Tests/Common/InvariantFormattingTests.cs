using System.Globalization;
using Guance.Billing.Settlement;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Common;

/// <summary>
/// What reaches the wire as a machine-read value (ErrorInfo metadata) is written the same whatever the
/// host's culture: a Thai host's default calendar is Buddhist, which would make 2026 the year 2569.
/// </summary>
public sealed class InvariantFormattingTests
{
    private static readonly DateOnly Day = new(2026, 11, 2);

    [Fact]
    public void A_closed_day_is_named_in_the_Gregorian_calendar_on_a_host_of_any_culture()
    {
        var error = InCulture("th-TH", () => UsageErrors.Closed(Sites.Get("cn1"), Day, DateTimeOffset.UnixEpoch, 1));
        Assert.Equal("2026-11-02", error.Metadata["billing_day"]);
    }

    [Fact]
    public void The_next_settlement_method_change_day_is_named_in_the_Gregorian_calendar_on_a_host_of_any_culture()
    {
        var error = InCulture("th-TH", () => SettlementErrors.ChangedThisMonth("ws_x", Day));
        Assert.Equal("2026-11-02", error.Metadata["next_change_day"]);
    }

    private static T InCulture<T>(string name, Func<T> action)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        try
        {
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
