using Guance.Billing.Notifications;

namespace Guance.Billing.Tests.Notifications;

public sealed class DeliveryRetryPolicyTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);
    private static readonly NotificationOptions Options = new();

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(30, 3600)]
    public void The_back_off_doubles_from_30_seconds_up_to_an_hour(int attempts, int seconds)
    {
        var now = Created + TimeSpan.FromMinutes(1);
        Assert.Equal(now + TimeSpan.FromSeconds(seconds), DeliveryRetryPolicy.NextAttempt(Options, Created, attempts, now, jitter: 0));
        Assert.Equal(now + TimeSpan.FromSeconds(seconds * 1.25), DeliveryRetryPolicy.NextAttempt(Options, Created, attempts, now, jitter: 1));
    }

    [Fact]
    public void Jitter_adds_at_most_a_quarter()
    {
        var now = Created + TimeSpan.FromMinutes(1);
        for (var i = 0; i < 200; i++)
        {
            var next = DeliveryRetryPolicy.NextAttempt(Options, Created, 2, now)!.Value;
            Assert.InRange(next - now, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(75));
        }
    }

    [Fact]
    public void The_last_retry_is_due_a_day_after_the_notice_and_a_failure_then_is_final()
    {
        var lastHour = Created + TimeSpan.FromHours(23.5);
        Assert.Equal(Created + TimeSpan.FromDays(1), DeliveryRetryPolicy.NextAttempt(Options, Created, 30, lastHour, jitter: 0));
        Assert.Null(DeliveryRetryPolicy.NextAttempt(Options, Created, 31, Created + TimeSpan.FromDays(1), jitter: 0));
        Assert.Null(DeliveryRetryPolicy.NextAttempt(Options, Created, 31, Created + TimeSpan.FromDays(2), jitter: 0));
    }

    [Fact]
    public void Retrying_by_the_policy_tries_for_a_whole_day()
    {
        var now = Created;
        var attempts = 1;
        while (DeliveryRetryPolicy.NextAttempt(Options, Created, attempts, now, jitter: 1) is { } next)
        {
            Assert.True(next > now);
            now = next;
            attempts++;
        }
        Assert.Equal(Created + TimeSpan.FromDays(1), now);
        Assert.InRange(attempts, 20, 40);
    }
}
