using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands;

/// <summary>register-commercial: a console account, a billing-center account and a commercial workspace bound to it, in one step.</summary>
public sealed class RegisterCommercialCommand : ICommandGroup
{
    public int Order => 11;

    public IEnumerable<Command> Build()
    {
        var email = new Option<string>("--email") { Description = "E-mail address of the console account", Required = true };
        var username = new Option<string>("--username") { Description = "User name of the billing-center account (unique, never changed)", Required = true };
        var name = new Option<string>("--name") { Description = "Name shown to other members", Required = true };
        var site = new Option<string>("--site") { Description = "Site code of the workspace, for example cn1 or cn4", Required = true };
        var workspace = new Option<string>("--workspace") { Description = "Name of the commercial workspace", Required = true };
        var login = new Option<bool>("--login") { Description = "Save both tokens to the config file, as 'login' and 'billing login' do" };
        var command = new Command("register-commercial",
            "Register a commercial plan in one step: console account, billing account (same e-mail and password) and a commercial workspace bound to it; prints both tokens, shown only once")
        {
            email, username, name, site, workspace, login,
        }.WithPassword();
        yield return command.Handle(async (context, cancellationToken) =>
        {
            var password = Secrets.ReadPassword(context);
            var response = await context.Connect(token: null).Identity.RegisterCommercialAsync(new RegisterCommercialRequest
            {
                Email = context.Get(email)!, Password = password, Username = context.Get(username)!, DisplayName = context.Get(name)!,
                SiteCode = context.Get(site)!, WorkspaceName = context.Get(workspace)!,
            }, cancellationToken: cancellationToken);
            if (context.Get(login))
            {
                context.ConfigFile.Write(context.Config with
                {
                    Server = context.ServerText,
                    Token = response.Token,
                    ApiTokenId = response.ApiToken.ApiTokenId,
                    Email = response.User.Email,
                    BillingCenter = new BillingCenterLogin
                    {
                        Token = response.BillingToken,
                        SessionId = response.BillingSession.SessionId,
                        BillingAccountId = response.BillingAccount.BillingAccountId,
                        Username = response.BillingAccount.Username,
                        ExpireTime = response.BillingSession.ExpireTime?.ToDateTimeOffset(),
                    },
                });
            }
            context.Output.Result(response, () =>
            {
                context.Output.Fields(
                    ("User", response.User.UserId),
                    ("E-mail", response.User.Email),
                    ("Billing account", response.BillingAccount.BillingAccountId),
                    ("User name", response.BillingAccount.Username),
                    ("Workspace", response.Workspace.WorkspaceId),
                    ("Site", response.Workspace.SiteCode),
                    ("Plan", Display.Enum(response.Workspace.Plan)),
                    ("Console token", response.Token),
                    ("Billing token", response.BillingToken));
                context.Output.Note(context.Get(login)
                    ? $"Logged in to the console and the billing center: saved both tokens to {context.ConfigFile.Path}."
                    : "The tokens are shown only once: keep them, or log in with 'guance-billing login' and 'guance-billing billing login'.");
            });
            return ExitCodes.Ok;
        });
    }
}
