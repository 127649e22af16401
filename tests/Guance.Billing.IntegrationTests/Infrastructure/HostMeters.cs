using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>The measurements of a host's meters, as a test reads them.</summary>
public static class HostMeters
{
    /// <summary>Listens to one meter of this host only: other test classes run hosts in the same process at the same time.</summary>
    public static (MeterListener Listener, List<(string Instrument, double Value, string? Tag)> Measurements) ListenToMeter(this BillingHost host, string meterName)
    {
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Instrument, double Value, string? Tag)>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Measured(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? tag = null;
            foreach (var t in tags)
            {
                tag = $"{t.Key}={t.Value}";
            }
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, tag));
            }
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Measured(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Measured(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Measured(i, v, t));
        listener.Start();
        return (listener, measurements);
    }
}
