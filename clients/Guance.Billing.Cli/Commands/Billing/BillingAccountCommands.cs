using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Billing;

/// <summary>
/// billing: billing-center accounts (they pay for workspaces): register, log in, profile, password,
/// certification, cloud accounts, binding codes, bound workspaces, notifications. Calls with the
/// billing-center session of 'billing login' when one is saved, else --token / GUANCE_TOKEN / the
/// console login's token (the operator's).
/// </summary>
public sealed class BillingAccountCommands : ICommandGroup
{
    public int Order => 60;

    public IEnumerable<Command> Build() =>
    [
        new Command("billing", "Billing-center accounts: register, login, show, update, password, certification, cloud accounts, binding codes, bound workspaces")
        {
            BillingLoginCommands.Register(), BillingLoginCommands.LogIn(), BillingLoginCommands.LogOut(),
            Show(), Update(), BillingLoginCommands.Password(),
            CertificationCommands.Build(), CloudAccountCommands.Build(), BindingCode(), BindingCodeCommands.Build(), BoundWorkspaces(), Notifications(),
        },
    ];

    /// <summary>--account (one instance per command): the billing account, by default the one of 'billing login'.</summary>
    public static Option<string?> Account() => new("--account", "-a")
    {
        Description = "The billing account, ba_... (default: your own, after 'billing login')",
    };

    private static Command Show()
    {
        var account = Account();
        var command = new Command("show", "Show a billing account: profile and enterprise certification") { account };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.GetBillingAccountAsync(new GetBillingAccountRequest
            {
                BillingAccountId = context.BillingAccountId(account),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowAccount(context, response.BillingAccount));
            return ExitCodes.Ok;
        });
    }

    private static Command Update()
    {
        var account = Account();
        var email = new Option<string?>("--email") { Description = "New contact e-mail address" };
        var name = new Option<string?>("--name") { Description = "New display name (\"\" for the user name)" };
        var phone = new Option<string?>("--phone") { Description = "New contact phone (\"\" to clear it)" };
        var command = new Command("update", "Change the contact e-mail, display name or phone (the user name never changes)") { account, email, name, phone };
        command.AddCheck(result =>
        {
            if (result.GetResult(email) is null && result.GetResult(name) is null && result.GetResult(phone) is null)
            {
                result.AddError("Nothing to update: pass --email, --name or --phone.");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new UpdateBillingAccountRequest
            {
                BillingAccountId = context.BillingAccountId(account), BillingAccount = new BillingAccount(), UpdateMask = new FieldMask(),
            };
            if (context.Get(email) is { } newEmail)
            {
                request.BillingAccount.Email = newEmail;
                request.UpdateMask.Paths.Add("email");
            }
            if (context.Get(name) is { } newName)
            {
                request.BillingAccount.DisplayName = newName;
                request.UpdateMask.Paths.Add("display_name");
            }
            if (context.Get(phone) is { } newPhone)
            {
                request.BillingAccount.ContactPhone = newPhone;
                request.UpdateMask.Paths.Add("contact_phone");
            }
            var response = await context.BillingClient.BillingAccounts.UpdateBillingAccountAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowAccount(context, response.BillingAccount));
            return ExitCodes.Ok;
        });
    }

    private static Command BindingCode()
    {
        var account = Account();
        var command = new Command("binding-code", "Create a one-time binding code for a workspace Owner to bind a workspace to this account (your own session only)") { account };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest
            {
                BillingAccountId = context.BillingAccountId(account),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                context.Output.Fields(("Binding code", response.BindingCode), ("Expires", Display.Time(response.ExpireTime)), ("Id", response.BindingCodeId));
                context.Output.Note("Give the code to the workspace Owner; it works once, until it expires, and is shown only now.");
            });
            return ExitCodes.Ok;
        });
    }

    private static Command BoundWorkspaces()
    {
        var account = Account();
        var command = new Command("bound-workspaces", "List the workspaces bound to the account (which it pays for)") { account };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var accountId = context.BillingAccountId(account);
            var response = await Pages.ReadAsync(context,
                (size, token) => context.BillingClient.BillingAccounts.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest
                {
                    BillingAccountId = accountId, PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.Workspaces, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "workspaces");
            context.Output.Result(response, () => context.Output.Table(
                ["WORKSPACE ID", "NAME", "SITE", "BOUND"],
                response.Workspaces.Select(w => new[] { w.WorkspaceId, w.Name, w.SiteCode, Display.Time(w.BindTime) }),
                $"No workspaces are bound to {accountId}."));
            return ExitCodes.Ok;
        });
    }

    private static Command Notifications()
    {
        var account = new Option<string?>("--account", "-a") { Description = "Only this billing account's notifications (default: all)" };
        var kinds = new Option<string[]>("--kind") { Description = "Only these kinds (repeat): " + string.Join(", ", CliEnum.Names<NotificationKind>()), Arity = ArgumentArity.ZeroOrMore };
        CliEnum.AcceptOnly(kinds, CliEnum.Names<NotificationKind>());
        var command = new Command("notifications", "List the notifications of the outbox (card expiring, arrears, certification...), newest first, with delivery (operator)") { account, kinds };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new ListNotificationsRequest { BillingAccountId = context.Get(account) ?? "" };
            request.Kinds.AddRange((context.Get(kinds) ?? []).Select(CliEnum.Parse<NotificationKind>));
            var response = await Pages.ReadAsync(context,
                (size, token) =>
                {
                    var page = request.Clone();
                    (page.PageSize, page.PageToken) = (size, token);
                    return context.BillingClient.BillingAccounts.ListNotificationsAsync(page, cancellationToken: cancellationToken).ResponseAsync;
                },
                r => r.Notifications, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "notifications");
            context.Output.Result(response, () => context.Output.Table(
                ["CREATED", "KIND", "ACCOUNT", "TO", "SUBJECT", "DELIVERED"],
                response.Notifications.Select(n => new[]
                {
                    Display.Time(n.CreateTime), Display.Enum(n.Kind), n.BillingAccountId, n.Recipient, n.Subject,
                    n.DeliverTime is not null ? Display.Time(n.DeliverTime) : n.LastError.Length > 0 ? $"failed ({n.Attempts}): {n.LastError}" : "waiting",
                }),
                "No notifications."));
            return ExitCodes.Ok;
        });
    }

    public static void ShowAccount(CliContext context, BillingAccount account)
    {
        var fields = new List<(string, string)>
        {
            ("Account", account.BillingAccountId),
            ("User name", account.Username),
            ("Name", account.DisplayName),
            ("E-mail", account.Email),
            ("Phone", account.ContactPhone),
            ("Created", Display.Time(account.CreateTime)),
            ("Updated", Display.Time(account.UpdateTime)),
        };
        if (account.Certification is { } certification)
        {
            fields.Add(("Certification", Display.Enum(certification.State) + (certification.RejectReason.Length > 0 ? ": " + certification.RejectReason : "")));
            fields.Add(("Enterprise", certification.EnterpriseName));
            fields.Add(("Taxpayer id", certification.TaxpayerId));
            fields.Add(("Submitted", Display.Time(certification.SubmitTime)));
            fields.Add(("Reviewed", Display.Time(certification.ReviewTime)));
        }
        else
        {
            fields.Add(("Certification", "none"));
        }
        context.Output.Fields(fields.ToArray());
    }
}
