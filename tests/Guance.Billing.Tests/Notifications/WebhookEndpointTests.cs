using Guance.Billing.Notifications;
using Guance.Billing.Notifications.Webhooks;

namespace Guance.Billing.Tests.Notifications;

public sealed class WebhookEndpointTests
{
    private static readonly DateTimeOffset Rotated = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);

    private static WebhookEndpoint Endpoint(string kinds = "", bool enabled = true)
    {
        var endpoint = new WebhookEndpoint
        {
            Id = "whe_1", BillingAccountId = "ba_1", Url = "https://hooks.example.com/", Kinds = kinds,
            Secret = "whsec_new", PreviousSecret = "whsec_old", PreviousSecretExpiresAt = Rotated.AddHours(24),
        };
        endpoint.Turn(enabled);
        return endpoint;
    }

    [Fact]
    public void Turned_on_again_an_endpoint_counts_its_failures_afresh_and_otherwise_keeps_the_count()
    {
        var givenUp = Endpoint(enabled: false);
        givenUp.ConsecutiveFailures = 20;
        givenUp.Turn(true);
        Assert.Equal((true, 0), (givenUp.Enabled, givenUp.ConsecutiveFailures));

        var failing = Endpoint();
        failing.ConsecutiveFailures = 3;
        failing.Turn(true);
        Assert.Equal(3, failing.ConsecutiveFailures);
        failing.Turn(false);
        Assert.Equal((false, 3), (failing.Enabled, failing.ConsecutiveFailures));
    }

    [Fact]
    public void The_previous_secret_signs_beside_the_new_one_until_it_expires()
    {
        Assert.Equal(["whsec_new", "whsec_old"], Endpoint().SigningSecrets(Rotated.AddHours(24).AddTicks(-1)));
        Assert.Equal(["whsec_new"], Endpoint().SigningSecrets(Rotated.AddHours(24)));
    }

    [Fact]
    public void An_enabled_endpoint_wants_its_kinds_or_every_kind_when_it_names_none()
    {
        var some = Endpoint(WebhookKinds.Format([NotificationKind.ArrearsStarted, NotificationKind.CardExpired, NotificationKind.CardExpired]));
        Assert.Equal("2,4", some.Kinds);
        Assert.True(some.Wants(NotificationKind.ArrearsStarted));
        Assert.False(some.Wants(NotificationKind.ArrearsPaid));
        Assert.True(Endpoint().Wants(NotificationKind.ArrearsPaid));
        Assert.False(Endpoint(enabled: false).Wants(NotificationKind.ArrearsPaid));
    }

    [Fact]
    public void A_secret_is_whsec_and_24_random_bytes()
    {
        var secret = WebhookSecret.New();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(24, WebhookSecret.Key(secret).Length);
        Assert.NotEqual(secret, WebhookSecret.New());
    }
}
