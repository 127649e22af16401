using System.Diagnostics.Metrics;

namespace Guance.Billing.Cloud;

/// <summary>
/// The meter <c>Guance.Billing.Cloud</c>: AWS metering records that expired unsent (each waits for an operator), were
/// reissued, and were metered twice (AWS accepted a record and its replacement). Alert on the first and the last.
/// </summary>
public sealed class MeteringMetrics
{
    public const string MeterName = "Guance.Billing.Cloud";

    private readonly Counter<long> _expired;
    private readonly Counter<long> _reissued;
    private readonly Counter<long> _meteredTwice;

    public MeteringMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _expired = meter.CreateCounter<long>("guance.cloud.metering.expired", description: "AWS metering records that expired unsent: each needs an operator.");
        _reissued = meter.CreateCounter<long>("guance.cloud.metering.reissued", description: "Expired AWS metering records reissued by an operator.");
        _meteredTwice = meter.CreateCounter<long>("guance.cloud.metering.metered_twice", description: "AWS metering records accepted by AWS together with their replacement.");
    }

    public void Expired(int records) => _expired.Add(records);

    public void Reissued() => _reissued.Add(1);

    public void MeteredTwice() => _meteredTwice.Add(1);
}
