using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>
/// A host process on a simulated clock (Guance:Clock:Mode=Simulated) for the CLI's settlement story:
/// days pass only when 'settlement clock advance' says so, and the jobs due on the way (day close,
/// arrears countdown) run then, in order. One story per collection, since the clock is shared.
/// </summary>
public sealed class CliSimulatedClockHost : IAsyncLifetime
{
    /// <summary>09:30 on 2026-11-02 in Asia/Shanghai (site cn1).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);

    private HostProcess? _host;

    public HostProcess Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public string ConfigDirectory { get; } = Path.Combine(Path.GetTempPath(), "guance-billing-tests", "cli-clock-" + Guid.NewGuid().ToString("N"));

    public CliProcess NewCli() => new(Host.Address, Path.Combine(ConfigDirectory, Guid.NewGuid().ToString("N"), "config.json"));

    public async Task InitializeAsync() => _host = await HostProcess.StartAsync(new HostProcessOptions
    {
        Settings =
        {
            ["Guance:Security:PasswordHashIterations"] = "1000",
            ["Guance:Clock:Mode"] = "Simulated",
            ["Guance:Clock:Start"] = Start.ToString("O"),
        },
    });

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        try
        {
            Directory.Delete(ConfigDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CliSimulatedClockCollection : ICollectionFixture<CliSimulatedClockHost>
{
    public const string Name = "guance-billing against a host on a simulated clock";
}
