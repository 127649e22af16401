using System.CommandLine;
using Grpc.Core;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;
using Spectre.Console;

namespace Guance.Billing.Cli.Commands.Billing;

/// <summary>billing register, login, logout, password: the billing-center session saved beside the console login.</summary>
public static class BillingLoginCommands
{
    public static Command Register()
    {
        var username = new Option<string>("--username") { Description = "User name: 3 to 32 letters, digits, _ - or ., starting with a letter; never changes", Required = true };
        var email = new Option<string>("--email") { Description = "Contact e-mail address", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name (default: the user name)" };
        var login = new Option<bool>("--login") { Description = "Save the new session to the config file, as 'billing login' does" };
        var command = new Command("register", "Register a billing-center account; prints its first session token, shown only once") { username, email, name, login }.WithPassword();
        return command.Handle(async (context, cancellationToken) =>
        {
            var password = Secrets.ReadPassword(context);
            var response = await context.Connect(token: null).BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
            {
                Username = context.Get(username)!, Password = password, Email = context.Get(email)!, DisplayName = context.Get(name) ?? "",
            }, cancellationToken: cancellationToken);
            if (context.Get(login))
            {
                Save(context, response.Token, response.Session, response.BillingAccount);
            }
            context.Output.Result(response, () =>
            {
                BillingAccountCommands.ShowAccount(context, response.BillingAccount);
                context.Output.Fields(("Session until", Display.Time(response.Session.ExpireTime)), ("Token", response.Token));
                context.Output.Note(context.Get(login)
                    ? $"Logged in to the billing center: saved the session to {context.ConfigFile.Path}."
                    : "The token is shown only once; sign in later with 'guance-billing billing login'.");
            });
            return ExitCodes.Ok;
        });
    }

    public static Command LogIn()
    {
        var username = new Option<string>("--username") { Description = "User name of the billing-center account (any case)", Required = true };
        var command = new Command("login", "Sign in to a billing-center account and save the session (gcb_...) beside the console login") { username }.WithPassword();
        return command.Handle(async (context, cancellationToken) =>
        {
            var password = Secrets.ReadPassword(context);
            var response = await context.Connect(token: null).BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest
            {
                Username = context.Get(username)!, Password = password,
            }, cancellationToken: cancellationToken);
            Save(context, response.Token, response.Session, response.BillingAccount);
            context.Output.Result(response, () => context.Output.Line(
                $"Logged in to the billing center at {context.Server} as {response.BillingAccount.Username} ({response.BillingAccount.BillingAccountId}) " +
                $"until {Display.Time(response.Session.ExpireTime)}; saved to {context.ConfigFile.Path}."));
            return ExitCodes.Ok;
        });
    }

    public static Command LogOut()
    {
        var command = new Command("logout", "End the saved billing-center session on the host and forget it (the console login stays)");
        return command.Handle(async (context, cancellationToken) =>
        {
            var config = context.Config;
            if (config.BillingCenter is null)
            {
                context.Output.Line("Not logged in to the billing center.");
                return ExitCodes.Ok;
            }
            if (config.BillingCenter.Token is { } token)
            {
                try
                {
                    await context.Connect(token).BillingAccounts.SignOutBillingAccountAsync(new SignOutBillingAccountRequest(), cancellationToken: cancellationToken);
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated)
                {
                    // Expired or ended already: nothing left to end.
                }
                catch (RpcException e)
                {
                    // Offline (or the host failing): the session is forgotten here anyway, and it ends when it expires.
                    context.Environment.Error.WriteLine($"warning: the host could not end the session ({e.StatusCode}); it works until it expires.");
                }
            }
            context.ConfigFile.Write(config with { BillingCenter = null });
            context.Output.Line($"Logged out of the billing center as {config.BillingCenter.Username}; removed the session from {context.ConfigFile.Path}.");
            return ExitCodes.Ok;
        });
    }

    public static Command Password()
    {
        var account = BillingAccountCommands.Account();
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the current password, then the new one, from the first two lines of standard input" };
        var command = new Command("password", "Change the password (your own session only); every other session of the account ends") { account, stdin };
        return command.Handle(async (context, cancellationToken) =>
        {
            var (current, next) = ReadPasswords(context, context.Get(stdin));
            var response = await context.BillingClient.BillingAccounts.ChangeBillingAccountPasswordAsync(new ChangeBillingAccountPasswordRequest
            {
                BillingAccountId = context.BillingAccountId(account), CurrentPassword = current, NewPassword = next,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line(
                $"Changed the password of {response.BillingAccount.Username}; {response.EndedSessions} other session(s) ended."));
            return ExitCodes.Ok;
        });
    }

    /// <summary>Two lines of standard input, else GUANCE_PASSWORD and GUANCE_NEW_PASSWORD, else prompts at a terminal.</summary>
    private static (string Current, string Next) ReadPasswords(CliContext context, bool fromStdin)
    {
        if (fromStdin)
        {
            var current = context.Environment.In.ReadLine();
            var next = context.Environment.In.ReadLine();
            return current is { Length: > 0 } && next is { Length: > 0 }
                ? (current, next)
                : throw new CommandLineException("--password-stdin: standard input needs two lines, the current password and then the new one.");
        }
        if (context.Environment.Variable("GUANCE_PASSWORD") is { Length: > 0 } variable && context.Environment.Variable("GUANCE_NEW_PASSWORD") is { Length: > 0 } newVariable)
        {
            return (variable, newVariable);
        }
        if (!context.Environment.InputRedirected && context.Output.Console.Profile.Capabilities.Interactive)
        {
            var console = context.Output.Console;
            var current = console.Prompt(new TextPrompt<string>("Current password:").Secret());
            var next = console.Prompt(new TextPrompt<string>("New password:").Secret());
            var again = console.Prompt(new TextPrompt<string>("New password again:").Secret());
            return next == again ? (current, next) : throw new CommandLineException("the new passwords differ.");
        }
        throw new CommandLineException("passwords are needed: pass --password-stdin (two lines), or GUANCE_PASSWORD and GUANCE_NEW_PASSWORD.");
    }

    private static void Save(CliContext context, string token, BillingSession session, BillingAccount account) =>
        context.ConfigFile.Write(context.Config with
        {
            Server = context.ServerText,
            BillingCenter = new BillingCenterLogin
            {
                Token = token,
                SessionId = session.SessionId,
                BillingAccountId = account.BillingAccountId,
                Username = account.Username,
                ExpireTime = session.ExpireTime?.ToDateTimeOffset(),
            },
        });
}
