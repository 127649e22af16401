using Guance.Billing.Host.Infrastructure;
using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// A start tells where its time went when asked (docs/performance.md, Start-up): each phase at Debug,
/// in order, with the time since the process started, its CPU and JIT time; nothing when not asked.
/// A restart on an up-to-date database does not run EF's <c>Migrate</c> (StartupMigrationTests).
/// </summary>
public sealed class StartupPhasesTests
{
    private static readonly string[] Phases =
    [
        "runtime and Main", "services configured, host built", "EF Core model", "migrations checked, none pending", "endpoints mapped", "server started",
    ];

    [Fact]
    public async Task A_start_logs_its_phases_in_order_at_Debug_and_nothing_of_them_otherwise()
    {
        using var database = TestDatabase.Create();
        await using (var quiet = await HostProcess.StartAsync(new HostProcessOptions { Database = database }))
        {
            Assert.DoesNotContain(quiet.OutputLines, line => line.Contains("start-up: ", StringComparison.Ordinal));
        }

        var asked = new HostProcessOptions { Database = database };
        asked.Settings[$"Logging:LogLevel:{StartupPhases.Category}"] = "Debug";
        await using var host = await HostProcess.StartAsync(asked);
        await host.WaitForOutputAsync(line => line.Contains("start-up: server started done at", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var logged = host.OutputLines.Where(line => line.Contains("start-up: ", StringComparison.Ordinal)).ToList();

        Assert.Equal(Phases, logged.Select(line => line[(line.IndexOf("start-up: ", StringComparison.Ordinal) + "start-up: ".Length)..line.IndexOf(" done at ", StringComparison.Ordinal)]));
        Assert.All(logged, line => Assert.Matches(@"done at \d+ ms, CPU \d+ ms, JIT \d+ ms for \d+ methods$", line));
    }
}
