using System.Text.Json;
using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// The runtime settings the host is built with, which the ingestion benchmarks measured (docs/performance.md):
/// idle thread-pool workers sleep without spinning, and hot code is optimized without a call-counting delay,
/// but only code called 1,000 times, so that a start does not compile again what it calls 30 times.
/// </summary>
public sealed class HostRuntimeConfigTests
{
    [Theory]
    [InlineData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", 0)]
    [InlineData("System.Runtime.TieredCompilation.CallCountingDelayMs", 0)]
    [InlineData("System.Runtime.TieredCompilation.CallCountThreshold", 1000)]
    public void The_host_runs_with_the_measured_runtime_setting(string name, int value)
    {
        var file = Path.ChangeExtension(Repository.HostAssembly, ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(file));

        var options = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(options.TryGetProperty(name, out var setting), $"{name} is missing from {file}");
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), setting.ToString());
    }
}
