using System.CommandLine;
using System.CommandLine.Parsing;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>Checks across a command's options (one --quantity per --item, --email or --with-token).</summary>
public static class CommandChecks
{
    /// <summary>
    /// Adds <paramref name="check"/> to the command's validators. System.CommandLine runs them while it parses, and
    /// reading an option whose own value did not parse throws there: that option's error is reported already, so the
    /// check is left out instead of ending the tool with an unhandled exception.
    /// </summary>
    public static void AddCheck(this Command command, Action<CommandResult> check) =>
        command.Validators.Add(result =>
        {
            try
            {
                check(result);
            }
            catch (InvalidOperationException) when (result.Children.Any(child => child.Errors.Any()))
            {
            }
        });
}
