using System.CommandLine;
using Spectre.Console;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>--yes for what cannot be undone; at a terminal the tool asks instead.</summary>
public static class Confirmation
{
    public static readonly Option<bool> Yes = new("--yes", "-y")
    {
        Description = "Do it without asking (needed when not at a terminal)",
    };

    public static Command WithConfirmation(this Command command)
    {
        command.Options.Add(Yes);
        return command;
    }

    /// <summary>True to go ahead; false when the person said no; a usage error when nobody can be asked.</summary>
    public static bool Confirm(CliContext context, string question)
    {
        if (context.Get(Yes))
        {
            return true;
        }
        if (context.Environment.InputRedirected || !context.Output.Console.Profile.Capabilities.Interactive)
        {
            throw new CommandLineException($"{question} Pass --yes to confirm.");
        }
        return context.Output.Console.Confirm(question, defaultValue: false);
    }
}
