using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Guance.Billing.Notifications;

namespace Guance.Billing.IntegrationTests.Notifications;

/// <summary>Records the notification meter of one host (its own <see cref="IMeterFactory"/>; other hosts of the run emit theirs).</summary>
public sealed class NotificationMeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Channel), long> _counts = new();
    private double? _oldestPendingAge;

    public NotificationMeterRecorder(IMeterFactory hostMeters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == NotificationMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, hostMeters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var channel = "";
            foreach (var tag in tags)
            {
                channel = tag.Key == "channel" ? (string)tag.Value! : channel;
            }
            _counts.AddOrUpdate((instrument.Name, channel), value, (_, total) => total + value);
        });
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _oldestPendingAge = value);
        _listener.Start();
    }

    public long Count(string instrument, string channel = "email") => _counts.GetValueOrDefault((instrument, channel));

    /// <summary>The gauge's value now; null when it reports nothing.</summary>
    public double? OldestPendingAge()
    {
        _oldestPendingAge = null;
        _listener.RecordObservableInstruments();
        return _oldestPendingAge;
    }

    public void Dispose() => _listener.Dispose();
}
