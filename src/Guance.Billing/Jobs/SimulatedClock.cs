namespace Guance.Billing.Jobs;

/// <summary>
/// The operator-controlled clock of <c>Guance:Clock:Mode=Simulated</c> (never the default), so that
/// support and finance can replay a customer's month in minutes, as Stripe's test clocks allow.
/// It only moves forward, and only when told to.
/// </summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock to <paramref name="target"/>; refuses to go back.</summary>
    public void MoveTo(DateTimeOffset target)
    {
        lock (_gate)
        {
            if (target < _now)
            {
                throw new InvalidOperationException("The simulated clock only moves forward.");
            }
            _now = target;
        }
    }
}
