using System.Runtime;
using Guance.Billing.Common;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// The runtime's multicore JIT profile of a start (docs/performance.md, Start-up): the methods that a start
/// compiled until it first answered SERVING, recorded in <see cref="FileName"/> in the data directory. The
/// next start compiles them on a second core ahead of the main thread, which then finds them compiled.
/// The runtime ignores a profile that is missing, corrupt or recorded by another build (and records a new
/// one), so a profile can only make a start faster, never break it. The profile belongs to the process,
/// so only a host that is the process's program keeps one (not a host started in memory by tests).
/// </summary>
public static class StartupJitProfile
{
    public const string FileName = "startup.jitprofile";

    private static int _state = (int)State.Idle;
    private static TimeProvider _time = TimeProvider.System;

    private enum State
    {
        Idle,
        Recording,
        Listening,
        Serving,
        Saved,
    }

    /// <summary>
    /// Plays the previous start's profile, if any, and records this one. Called as early as the data
    /// directory is known; a directory that cannot be made only means a start without a profile.
    /// </summary>
    public static void Start(IConfiguration configuration)
    {
        if (System.Reflection.Assembly.GetEntryAssembly() != typeof(StartupJitProfile).Assembly)
        {
            return;
        }
        var dataDirectory = configuration[$"{GuanceOptions.Section}:{nameof(GuanceOptions.DataDirectory)}"] is { Length: > 0 } configured
            ? configured
            : new GuanceOptions().DataDirectory;
        try
        {
            var directory = Directory.CreateDirectory(Path.GetFullPath(dataDirectory)).FullName;
            ProfileOptimization.SetProfileRoot(directory);
            ProfileOptimization.StartProfile(FileName);
            Interlocked.CompareExchange(ref _state, (int)State.Recording, (int)State.Idle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The database setup reports an unusable data directory; here it only costs the profile.
        }
    }

    /// <summary>
    /// The server listens: the next healthy check is the first SERVING that a caller sees. Without one (no
    /// readiness probe) the profile is written a minute later, with what the first calls compiled.
    /// </summary>
    public static void ServerStarted(TimeProvider time, CancellationToken stopping)
    {
        if (Interlocked.CompareExchange(ref _state, (int)State.Listening, (int)State.Recording) == (int)State.Recording)
        {
            _time = time;
            SaveAfter(TimeSpan.FromMinutes(1), stopping);
        }
    }

    /// <summary>
    /// A healthy check answers: the first after the server started writes the profile a second later, once
    /// that call's answer is on its way, so that the profile holds what a start needs to serve and not the
    /// code of the hours after (which the runtime would write at exit).
    /// </summary>
    public static void Serving()
    {
        if (Interlocked.CompareExchange(ref _state, (int)State.Serving, (int)State.Listening) == (int)State.Listening)
        {
            SaveAfter(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
    }

    private static void SaveAfter(TimeSpan delay, CancellationToken stopping) =>
        _ = Task.Delay(delay, _time, stopping).ContinueWith(_ =>
        {
            if (Interlocked.Exchange(ref _state, (int)State.Saved) != (int)State.Saved)
            {
                // A profile name of null stops the recording and writes the file.
                ProfileOptimization.StartProfile(null);
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
}
