namespace Guance.Billing.Jobs;

/// <summary>The <c>Guance:Jobs</c> and <c>Guance:Clock</c> settings.</summary>
public sealed class JobOptions
{
    public const string Section = "Guance:Jobs";

    /// <summary>Whether this host runs the scheduler (every host may: jobs are safe to run twice).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the scheduler looks for due work on the real clock (also how soon a notification goes out).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
}

public enum ClockMode
{
    /// <summary>The system clock.</summary>
    System,

    /// <summary>An operator-controlled clock moved by AdvanceClock; for support and finance replays, never production.</summary>
    Simulated,
}

public sealed class ClockOptions
{
    public const string Section = "Guance:Clock";

    public ClockMode Mode { get; set; } = ClockMode.System;

    /// <summary>Where a simulated clock starts; the real time at start-up when unset.</summary>
    public DateTimeOffset? Start { get; set; }
}
