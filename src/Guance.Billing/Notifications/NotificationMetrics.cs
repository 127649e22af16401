using System.Diagnostics.Metrics;

namespace Guance.Billing.Notifications;

/// <summary>
/// The meter <c>Guance.Billing.Notifications</c>: deliveries sent, retried and failed per channel, and
/// the age of the oldest pending delivery as the last delivery pass of this host saw it.
/// </summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "Guance.Billing.Notifications";

    private readonly Counter<long> _sent;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failed;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private DateTimeOffset? _oldestPending;

    public NotificationMetrics(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(MeterName);
        _sent = meter.CreateCounter<long>("guance.notifications.sent", description: "Deliveries sent.");
        _retried = meter.CreateCounter<long>("guance.notifications.retried", description: "Failed attempts that will be retried.");
        _failed = meter.CreateCounter<long>("guance.notifications.failed", description: "Deliveries given up after the retry window.");
        meter.CreateObservableGauge("guance.notifications.oldest_pending_age", ObserveOldestPending, unit: "s",
            description: "Age of the oldest pending delivery at the last delivery pass; nothing when none is pending.");
    }

    public void Sent(NotificationChannel channel) => _sent.Add(1, Tag(channel));

    public void Retried(NotificationChannel channel) => _retried.Add(1, Tag(channel));

    public void Failed(NotificationChannel channel) => _failed.Add(1, Tag(channel));

    /// <summary>What a delivery pass found: the creation time of the oldest pending delivery, or null.</summary>
    public void OldestPending(DateTimeOffset? createdAt)
    {
        lock (_gate)
        {
            _oldestPending = createdAt;
        }
    }

    private IEnumerable<Measurement<double>> ObserveOldestPending()
    {
        DateTimeOffset? oldest;
        lock (_gate)
        {
            oldest = _oldestPending;
        }
        return oldest is { } at ? [new Measurement<double>(Math.Max(0, (_clock.GetUtcNow() - at).TotalSeconds))] : [];
    }

    private static KeyValuePair<string, object?> Tag(NotificationChannel channel) =>
        new("channel", channel == NotificationChannel.Email ? "email" : channel.ToString().ToLowerInvariant());
}
