using System.Runtime.InteropServices;

namespace Guance.Billing.Common;

/// <summary>
/// The Linux scheduler's niceness of the calling thread. Bulk work runs nicer than the threads that answer
/// people, so that when the cores are busy a dashboard read is scheduled before the next big batch; when a
/// core is free the bulk work still takes all of it. Linux keeps a niceness per thread (setpriority with a
/// thread id), and a process may always make its own threads nicer.
/// </summary>
public static class ThreadNiceness
{
    private const int PriorityOfProcess = 0; // PRIO_PROCESS: with a thread id, that thread alone.

    /// <summary>Makes the calling thread nicer by setting its niceness (1 to 19); false where that is not possible.</summary>
    public static bool TrySetCurrent(int niceness)
    {
        if (!OperatingSystem.IsLinux() || niceness is <= 0 or > 19)
        {
            return false;
        }
        try
        {
            return SetPriority(PriorityOfProcess, (uint)GetThreadId(), niceness) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without gettid (glibc before 2.30): the thread keeps the process's niceness.
            return false;
        }
    }

    /// <summary>The calling thread's niceness as the kernel reports it, or null where it cannot be read.</summary>
    public static int? OfCurrent()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        // /proc/thread-self/stat: "tid (comm) state ..."; after the name's closing parenthesis the niceness is the 17th field.
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, uint who, int priority);
}
