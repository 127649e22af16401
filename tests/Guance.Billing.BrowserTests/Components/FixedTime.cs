namespace Guance.Billing.BrowserTests.Components;

/// <summary>A clock that stands at one instant, for pages that read the time.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
