using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>
/// A host process on a simulated clock (Guance:Clock:Mode=Simulated) for the CLI's settlement story:
/// days pass only when 'settlement clock advance' says so, and the jobs due on the way (day close,
/// arrears countdown) run then, in order. One story per collection, since the clock is shared.
/// </summary>
public class CliSimulatedClockHost : CliHost
{
    /// <summary>09:30 on 2026-11-02 in Asia/Shanghai (site cn1).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);

    protected override void Configure(HostProcessOptions options)
    {
        options.Settings["Guance:Clock:Mode"] = "Simulated";
        options.Settings["Guance:Clock:Start"] = Start.ToString("O");
    }
}

[CollectionDefinition(Name)]
public sealed class CliSimulatedClockCollection : ICollectionFixture<CliSimulatedClockHost>
{
    public const string Name = "guance-billing against a host on a simulated clock";
}

/// <summary>A second host on a simulated clock, for the cloud-metering story, whose hours would move the settlement story's days.</summary>
public sealed class CliCloudClockHost : CliSimulatedClockHost;

[CollectionDefinition(Name)]
public sealed class CliCloudClockCollection : ICollectionFixture<CliCloudClockHost>
{
    public const string Name = "guance-billing cloud metering against a host on a simulated clock";
}
