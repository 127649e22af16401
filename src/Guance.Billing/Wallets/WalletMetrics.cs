using System.Diagnostics.Metrics;

namespace Guance.Billing.Wallets;

/// <summary>
/// The meter <c>Guance.Billing.Wallets</c>: the group commits of the Charge and ChargeBatch RPCs (<see cref="ChargeWriter"/>),
/// how many charges each carried and how long each held the writer. Few charges a commit under load means the callers
/// wait for the commits more than for each other; long commits, the database.
/// </summary>
public sealed class WalletMetrics
{
    public const string MeterName = "Guance.Billing.Wallets";

    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _chargesPerCommit;

    public WalletMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _commitDuration = meter.CreateHistogram<double>("guance.wallet.charge.commit.duration", "ms", "Duration of one group commit of charges, from its first read to its commit.");
        _chargesPerCommit = meter.CreateHistogram<int>("guance.wallet.charge.commit.charges", "{charge}", "Charges committed (or replayed, or refused) in one group commit.");
    }

    public void Committed(int charges, TimeSpan duration)
    {
        _chargesPerCommit.Record(charges);
        _commitDuration.Record(duration.TotalMilliseconds);
    }
}
