using System.CommandLine;
using Grpc.Core;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.Client;
using Guance.Billing.V1;
using Spectre.Console;

namespace Guance.Billing.Cli.Commands;

/// <summary>signup, login, logout, whoami: console accounts and the saved token.</summary>
public sealed class AccountCommands : ICommandGroup
{
    private static readonly Option<string> Email = new("--email") { Description = "E-mail address of the console account", Required = true };

    public int Order => 10;

    public IEnumerable<Command> Build() => [SignUp(), LogIn(), LogOut(), WhoAmI()];

    private static Command SignUp()
    {
        var name = new Option<string>("--name") { Description = "Name shown to other members", Required = true };
        var login = new Option<bool>("--login") { Description = "Save the new account's token to the config file, as 'login' does" };
        var command = new Command("signup", "Create a console account; prints its first API token, shown only once") { Email, name, login }.WithPassword();
        return command.Handle(async (context, cancellationToken) =>
        {
            var password = Secrets.ReadPassword(context);
            var response = await context.Connect(token: null).Identity.SignUpAsync(new SignUpRequest
            {
                Email = context.Get(Email)!, Password = password, DisplayName = context.Get(name)!,
            }, cancellationToken: cancellationToken);
            if (context.Get(login))
            {
                Save(context, response.Token, response.ApiToken.ApiTokenId, response.User.Email);
            }
            context.Output.Result(response, () =>
            {
                context.Output.Fields(
                    ("User", response.User.UserId),
                    ("E-mail", response.User.Email),
                    ("Name", response.User.DisplayName),
                    ("Token", response.Token));
                context.Output.Note(context.Get(login)
                    ? $"Logged in: saved the token to {context.ConfigFile.Path}."
                    : "The token is shown only once: keep it (GUANCE_TOKEN) or log in with 'guance-billing login'.");
            });
            return ExitCodes.Ok;
        });
    }

    /// <summary>The token from standard input: its first line, or, at a terminal, typed at a prompt that does not echo it.</summary>
    private static string ReadToken(CliContext context)
    {
        if (!context.Environment.InputRedirected && context.Output.Console.Profile.Capabilities.Interactive)
        {
            return context.Output.Console.Prompt(new TextPrompt<string>("Token:").Secret()).Trim();
        }
        return context.Environment.In.ReadLine()?.Trim() is { Length: > 0 } line
            ? line
            : throw new CommandLineException("--with-token: standard input had no token.");
    }

    private static Command LogIn()
    {
        var email = new Option<string?>("--email") { Description = "E-mail address to sign in with" };
        var token = new Option<string?>("--with-token")
        {
            Description = "Save an existing token instead of signing in (an API token or the operator token); without a value, or '-', read it from the first line of standard input",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => result.Tokens.Count == 0 ? "-" : result.Tokens[0].Value,
        };
        var command = new Command("login", "Sign in (or take a token) and save the server and token to the config file") { email, token }.WithPassword();
        command.AddCheck(result =>
        {
            if ((result.GetValue(email) is null) == (result.GetValue(token) is null))
            {
                result.AddError("Pass either --email (to sign in) or --with-token.");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            if (context.Get(token) is { } given)
            {
                var existing = given == "-" ? ReadToken(context) : given;
                var user = await VerifyAsync(context, existing, cancellationToken);
                Save(context, existing, apiTokenId: null, user?.Email);
                context.Output.Result(new GetCurrentUserResponse { User = user ?? new User() }, () =>
                    context.Output.Line(user is null
                        ? $"Saved the token (not a console user's) for {context.Server} to {context.ConfigFile.Path}."
                        : $"Logged in to {context.Server} as {user.DisplayName} <{user.Email}>; saved to {context.ConfigFile.Path}."));
                return ExitCodes.Ok;
            }
            var password = Secrets.ReadPassword(context);
            var response = await context.Connect(token: null).Identity.SignInAsync(new SignInRequest
            {
                Email = context.Get(email)!, Password = password,
            }, cancellationToken: cancellationToken);
            Save(context, response.Token, response.ApiToken.ApiTokenId, response.User.Email);
            context.Output.Result(response, () =>
                context.Output.Line($"Logged in to {context.Server} as {response.User.DisplayName} <{response.User.Email}> until " +
                                    $"{Display.Time(response.ApiToken.ExpireTime)}; saved to {context.ConfigFile.Path}."));
            return ExitCodes.Ok;
        });
    }

    private static Command LogOut()
    {
        var command = new Command("logout", "Revoke the token that 'login' created and forget it");
        return command.Handle(async (context, cancellationToken) =>
        {
            var config = context.Config;
            if (config.Token is null)
            {
                context.Output.Line("Not logged in.");
                return ExitCodes.Ok;
            }
            if (config.ApiTokenId is { } tokenId)
            {
                try
                {
                    await context.Connect(config.Token).Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = tokenId }, cancellationToken: cancellationToken);
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.NotFound)
                {
                    // Expired or revoked already: nothing left to revoke.
                }
            }
            context.ConfigFile.Write(config with { Token = null, ApiTokenId = null, Email = null });
            context.Output.Line($"Logged out; removed the token from {context.ConfigFile.Path}.");
            return ExitCodes.Ok;
        });
    }

    private static Command WhoAmI()
    {
        var command = new Command("whoami", "Show the console user that the token belongs to");
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Fields(
                ("User", response.User.UserId),
                ("E-mail", response.User.Email),
                ("Name", response.User.DisplayName),
                ("Since", Display.Time(response.User.CreateTime)),
                ("Server", context.Server.ToString()),
                ("Token from", context.Token.Source)));
            return ExitCodes.Ok;
        });
    }

    /// <summary>The user a token belongs to; null for a valid token that is not a console user's (the operator's).</summary>
    private static async Task<User?> VerifyAsync(CliContext context, string token, CancellationToken cancellationToken)
    {
        try
        {
            return (await context.Connect(token).Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), cancellationToken: cancellationToken)).User;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied && e.GetReason() == "CONSOLE_USER_REQUIRED")
        {
            return null;
        }
    }

    private static void Save(CliContext context, string token, string? apiTokenId, string? email) =>
        context.ConfigFile.Write(context.Config with { Server = context.ServerText, Token = token, ApiTokenId = apiTokenId, Email = email });
}
