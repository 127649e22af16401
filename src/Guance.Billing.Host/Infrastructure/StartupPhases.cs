using System.Diagnostics;
using System.Runtime;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// Where a start goes (docs/performance.md, Start-up): at the end of each phase, the time since the
/// process started, the process's CPU time and the JIT's share of it, logged at Debug under
/// <see cref="Category"/> (<c>--Logging:LogLevel:Guance.Billing.Host.Startup=Debug</c>). Elapsed
/// process time, not the host's clock: tests move that one.
/// </summary>
public sealed class StartupPhases
{
    public const string Category = "Guance.Billing.Host.Startup";

    private readonly List<(string Phase, double Elapsed, double Cpu, double Jit, long Methods)> _phases = [];
    private readonly DateTime _processStart;
    // The database's phases end on a thread of their own (DatabaseStartup).
    private readonly Lock _lock = new();
    private ILogger? _logger;

    public StartupPhases()
    {
        using var process = Process.GetCurrentProcess();
        _processStart = process.StartTime.ToUniversalTime();
        Mark("runtime and Main");
    }

    /// <summary>Notes the end of a phase; kept until there is a logger.</summary>
    public void Mark(string phase)
    {
        using var process = Process.GetCurrentProcess();
        lock (_lock)
        {
            _phases.Add((phase, (DateTime.UtcNow - _processStart).TotalMilliseconds, process.TotalProcessorTime.TotalMilliseconds,
                JitInfo.GetCompilationTime().TotalMilliseconds, JitInfo.GetCompiledMethodCount()));
            Flush();
        }
    }

    /// <summary>Logs the phases noted so far and every later one as it ends, the last when the server has started.</summary>
    public void LogTo(WebApplication app)
    {
        lock (_lock)
        {
            _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
            Flush();
        }
        app.Lifetime.ApplicationStarted.Register(() => Mark("server started"));
    }

    private void Flush()
    {
        if (_logger is null)
        {
            return;
        }
        foreach (var (phase, elapsed, cpu, jit, methods) in _phases)
        {
            _logger.LogDebug("start-up: {Phase} done at {Elapsed:F0} ms, CPU {Cpu:F0} ms, JIT {Jit:F0} ms for {Methods} methods",
                phase, elapsed, cpu, jit, methods);
        }
        _phases.Clear();
    }
}
