using Guance.Billing.Host.Infrastructure;
using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// A start tells where its time went when asked (docs/performance.md, Start-up): each phase at Debug,
/// with the time since the process started, its CPU and JIT time; nothing when not asked. The database's
/// phases (migrations, then a first health check) run beside the endpoint mapping and end before the server
/// starts. A restart on an up-to-date database does not run EF's <c>Migrate</c> (StartupMigrationTests).
/// </summary>
public sealed class StartupPhasesTests
{
    private static readonly string[] MainThread = ["runtime and Main", "services configured, host built", "endpoints mapped", "server started"];

    private static readonly string[] Database = ["EF Core model", "migrations checked, none pending", DatabaseStartup.HealthCheckedPhase];

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
        await host.WaitForOutputAsync(line => line.Contains("start-up: server started done at", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        var logged = host.OutputLines.Where(line => line.Contains("start-up: ", StringComparison.Ordinal)).ToList();

        var phases = logged.Select(line => line[(line.IndexOf("start-up: ", StringComparison.Ordinal) + "start-up: ".Length)..line.IndexOf(" done at ", StringComparison.Ordinal)]).ToList();

        Assert.Equal(MainThread.Length + Database.Length, phases.Count);
        Assert.Equal(MainThread, phases.Where(MainThread.Contains));
        Assert.Equal(Database, phases.Where(Database.Contains));
        Assert.Equal(MainThread[..2], phases[..2]);
        Assert.Equal("server started", phases[^1]);
        Assert.All(logged, line => Assert.Matches(@"done at \d+ ms, CPU \d+ ms, JIT \d+ ms for \d+ methods$", line));
    }
}
