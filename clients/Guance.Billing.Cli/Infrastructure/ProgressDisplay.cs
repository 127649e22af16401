using Spectre.Console;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>How far long work has come; does nothing where nobody watches.</summary>
public interface IProgress
{
    /// <summary>Sets how much is done (of the total, when there is one).</summary>
    void Report(long done, string? description = null);
}

/// <summary>
/// A progress bar on standard error, for long work (following every page of a list, streaming
/// usage): drawn only when standard error is a terminal, so that scripts and logs get the result
/// alone; standard output is never touched. Without a known total it is an indeterminate bar with
/// a count.
/// </summary>
public static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(CliContext context, string description, long? total, Func<IProgress, Task<T>> work)
    {
        if (context.Environment.ErrorRedirected || context.Environment.Variable("NO_PROGRESS") is { Length: > 0 })
        {
            return await work(Silent.Instance);
        }
        // Standard error is a terminal (checked above); Spectre's own detection would also look at
        // standard output, which is often a file here (--all -o json > file).
        var term = context.Environment.Variable("TERM");
        if (!OperatingSystem.IsWindows() && (term is null or "" or "dumb"))
        {
            return await work(Silent.Instance);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Environment.Error),
            Ansi = OperatingSystem.IsWindows() ? AnsiSupport.Detect : AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: total is > 0 ? total.Value : 1);
                task.IsIndeterminate = total is null;
                var result = await work(new Bar(task, description));
                task.StopTask();
                return result;
            });
    }

    private sealed class Silent : IProgress
    {
        public static readonly Silent Instance = new();

        public void Report(long done, string? description = null)
        {
        }
    }

    private sealed class Bar(ProgressTask task, string description) : IProgress
    {
        public void Report(long done, string? text = null)
        {
            task.Value = task.IsIndeterminate ? 0 : done;
            task.Description = Markup.Escape(text ?? (task.IsIndeterminate ? $"{description}: {done:N0}" : description));
        }
    }
}
