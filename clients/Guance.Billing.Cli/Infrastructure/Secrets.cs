using System.CommandLine;
using Spectre.Console;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>Reads a password: --password, --password-stdin, GUANCE_PASSWORD, or a prompt at a terminal.</summary>
public static class Secrets
{
    public static readonly Option<string?> Password = new("--password")
    {
        Description = "The password (visible to other users of this machine: prefer --password-stdin or GUANCE_PASSWORD)",
    };

    public static readonly Option<bool> PasswordStdin = new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input",
    };

    public static Command WithPassword(this Command command)
    {
        command.Options.Add(Password);
        command.Options.Add(PasswordStdin);
        return command;
    }

    public static string ReadPassword(CliContext context)
    {
        if (context.Get(PasswordStdin))
        {
            return context.Environment.In.ReadLine() is { Length: > 0 } line
                ? line
                : throw new CommandLineException("--password-stdin: standard input had no password.");
        }
        if (context.Get(Password) is { Length: > 0 } flag)
        {
            return flag;
        }
        if (context.Environment.Variable("GUANCE_PASSWORD") is { Length: > 0 } variable)
        {
            return variable;
        }
        if (!context.Environment.InputRedirected && context.Output.Console.Profile.Capabilities.Interactive)
        {
            return context.Output.Console.Prompt(new TextPrompt<string>("Password:").Secret());
        }
        throw new CommandLineException("a password is needed: pass --password-stdin, --password or GUANCE_PASSWORD.");
    }
}
