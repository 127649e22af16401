using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Workspaces;

public sealed class RetentionViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_latest_setting_in_force_applies_and_a_future_one_is_pending()
    {
        var history = new[]
        {
            Change(1, DataType.Logs, 14, Now.AddDays(-10)),
            Change(2, DataType.Logs, 30, Now.AddHours(-1)),
            Change(3, DataType.Logs, 60, Now.AddHours(13)),
            Change(4, DataType.Metrics, 7, Now.AddDays(-10)),
        };

        var views = RetentionView.Of(history, Now);

        var logs = Assert.Single(views, v => v.DataType == DataType.Logs);
        Assert.Equal(30, logs.Days);
        Assert.Equal(60, logs.PendingDays);
        Assert.Equal(Now.AddHours(13), logs.PendingEffectiveFrom);
        var metrics = Assert.Single(views, v => v.DataType == DataType.Metrics);
        Assert.Equal(7, metrics.Days);
        Assert.Null(metrics.PendingDays);
    }

    [Fact]
    public void Allowed_values_and_defaults_follow_the_domain()
    {
        Assert.Equal([3, 7, 14, 30, 180, 360], RetentionPolicy.AllowedDays(DataType.Metrics));
        Assert.Equal([3, 7, 14, 30, 60], RetentionPolicy.AllowedDays(DataType.Logs));
        Assert.Equal(14, RetentionPolicy.DefaultDays(Plan.Commercial, DataType.Logs));
        Assert.Equal(7, RetentionPolicy.DefaultDays(Plan.Commercial, DataType.Metrics));
        Assert.All(RetentionPolicy.DataTypes, t => Assert.Equal(7, RetentionPolicy.DefaultDays(Plan.Experience, t)));
    }

    private static RetentionChange Change(long id, DataType type, int days, DateTimeOffset from) =>
        new() { Id = id, WorkspaceId = "ws_x", DataType = type, Days = days, EffectiveFrom = from, RequestedAt = from };
}
