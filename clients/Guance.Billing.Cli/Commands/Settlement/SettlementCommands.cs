using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Settlement;

/// <summary>
/// settlement: how a commercial workspace pays (binding, method, overview), its daily bills and
/// consumption, the price lists, and the operator's day close, arrears countdown and simulated
/// clock. The upgrade that starts it all is 'workspaces upgrade'.
/// </summary>
public sealed class SettlementCommands : ICommandGroup
{
    public int Order => 80;

    public IEnumerable<Command> Build() =>
    [
        new Command("settlement", "Daily settlement: show, overview, change-binding, change-method, bills, consumption, monthly; prices; close-day, process-arrears, clock (operator). Upgrade with 'workspaces upgrade'")
        {
            Show(), Overview(), ChangeBinding(), ChangeMethod(), AllowAnyMethod(),
            DailyBillsCommand.Build(), Consumption(), PriceListCommands.Build(),
            MonthlyBillCommands.Build(), CloseDayCommand.Build(), ProcessArrears(), ClockCommands.Build(),
        },
    ];

    private static Command Show()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var command = new Command("show", "Show how a workspace settles: billing account, method, allowed methods, lock state (Owner or Administrator)") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Settlement.GetSettlementAsync(new GetSettlementRequest { WorkspaceId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowSettlement(context, response.Settlement));
            return ExitCodes.Ok;
        });
    }

    private static Command Overview()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var command = new Command("overview", "The settlement account overview: account, balances, arrears, lock, and the billing actions you may take (Owner or Administrator)") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Settlement.GetBillingOverviewAsync(new GetBillingOverviewRequest { WorkspaceId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                var o = response.Overview;
                (string Label, string Amount)[] amounts =
                [
                    ("Cash", Display.Money(o.Cash)),
                    ("Ordinary vouchers", Display.Money(o.OrdinaryVouchers)),
                    ("Full-reduction vouchers", Display.Money(o.FullReductionVouchers)),
                    ("Prepaid cards", Display.Money(o.PrepaidCards)),
                    ("Arrears", Display.Money(o.Arrears)),
                    ("Available", Display.Money(o.Available)),
                ];
                var width = amounts.Max(a => a.Amount.Length);
                var fields = new List<(string, string)>
                {
                    ("Workspace", o.WorkspaceId),
                    ("Plan", Display.Enum(o.Plan)),
                    ("Method", Display.Enum(o.Method)),
                    ("Billing account", Account(o.BillingAccountId, o.BillingAccountUsername)),
                    ("Account name", o.BillingAccountDisplayName),
                };
                fields.AddRange(amounts.Select(a => (a.Label, a.Amount.PadLeft(width))));
                fields.Add(("Locked", Display.YesNo(o.Locked)));
                fields.Add(("Arrears since", Display.Time(o.ArrearsSince)));
                fields.Add(("Lock time", Display.Time(o.LockTime)));
                fields.Add(("Your actions", o.Actions.Count == 0 ? "none" : string.Join(", ", o.Actions.Select(a => Display.Enum(a)))));
                context.Output.Fields(fields.ToArray());
            });
            return ExitCodes.Ok;
        });
    }

    private static Command ChangeBinding()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var code = BindingCode("of the billing account that is to pay from now on");
        var command = new Command("change-binding",
            "Bind the workspace to another billing account of the same certified enterprise; bills already written stay with the old one (Owner only)") { id, code };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Settlement.ChangeBindingAsync(new ChangeBindingRequest
            {
                WorkspaceId = context.Get(id)!, BindingCode = context.Get(code)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                context.Output.Line($"{response.Settlement.WorkspaceId} moved from {response.PreviousBillingAccountId} to {response.Settlement.BillingAccountId}.");
                ShowSettlement(context, response.Settlement);
            });
            return ExitCodes.Ok;
        });
    }

    private static Command ChangeMethod()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var method = new Option<string>("--method") { Description = "The new method: " + string.Join(", ", CliEnum.Names<SettlementMethod>()), Required = true };
        CliEnum.AcceptOnly(method, CliEnum.Names<SettlementMethod>());
        var cloudAccount = new Option<string?>("--cloud-account") { Description = "For a cloud method: a cloud account (ca_...) of the bound billing account, of that cloud" };
        var command = new Command("change-method",
            "Change how the workspace's daily bills are paid: once a calendar month, within the site's and channel's methods; a cloud account holds it until its subscription is cancelled (Owner only)")
        {
            id, method, cloudAccount,
        };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Settlement.ChangeSettlementMethodAsync(new ChangeSettlementMethodRequest
            {
                WorkspaceId = context.Get(id)!,
                Method = CliEnum.Parse<SettlementMethod>(context.Get(method)!),
                CloudAccountId = context.Get(cloudAccount) ?? "",
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowSettlement(context, response.Settlement));
            return ExitCodes.Ok;
        });
    }

    private static Command AllowAnyMethod()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var off = new Option<bool>("--off") { Description = "Take it back: the rules of the site and channel apply again" };
        var command = new Command("allow-any-method", "Let a workspace choose any settlement method ('arbitrary selection'), or take that back with --off (operator)") { id, off };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest
            {
                WorkspaceId = context.Get(id)!, Enabled = !context.Get(off),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowSettlement(context, response.Settlement));
            return ExitCodes.Ok;
        });
    }

    private static Command Consumption()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var command = new Command("consumption", "Yesterday's cost, this month's and the accumulated consumption, per item, from the daily bills (Owner or Administrator)") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                var s = response.Summary;
                (string Label, string Amount)[] amounts =
                [
                    ("Yesterday's cost", Display.Money(s.YesterdayAmount)),
                    ("This month", Display.Money(s.MonthToDateAmount)),
                    ("Accumulated", Display.Money(s.TotalAmount)),
                ];
                var width = amounts.Max(a => a.Amount.Length);
                var fields = new List<(string, string)>
                {
                    ("Workspace", s.WorkspaceId),
                    ("Today", Display.Day(s.Today)),
                    ("Yesterday", Display.Day(s.Yesterday) + (s.YesterdayClosed ? " (closed)" : " (not closed yet)")),
                };
                fields.AddRange(amounts.Select(a => (a.Label, a.Amount.PadLeft(width))));
                context.Output.Fields(fields.ToArray());
                context.Output.Line("");
                context.Output.Table(
                    ["ITEM", "YESTERDAY", "MONTH TO DATE", "TOTAL"],
                    s.Items.Select(i => new[] { Display.Enum(i.Item), Display.Money(i.Yesterday), Display.Money(i.MonthToDate), Display.Money(i.Total) }),
                    "Nothing billed yet.", right: [1, 2, 3]);
            });
            return ExitCodes.Ok;
        });
    }

    private static Command ProcessArrears()
    {
        var command = new Command("process-arrears", "Run the arrears countdown now: warnings 3 days before a lock, and the locks that are due; idempotent (operator; the host also runs it on its clock)");
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Settlement.ProcessArrearsAsync(new ProcessArrearsRequest(), cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Fields(
                ("Lock warnings", Display.Quantity(response.LockWarnings)),
                ("Locks", Display.Quantity(response.Locks))));
            return ExitCodes.Ok;
        });
    }

    /// <summary>--binding-code (one instance per command).</summary>
    public static Option<string> BindingCode(string whose) => new("--binding-code")
    {
        Description = $"A binding code {whose} ('guance-billing billing binding-code'), e.g. K7QM-3XPA-9WRT",
        Required = true,
    };

    public static void ShowSettlement(CliContext context, V1.Settlement s) =>
        context.Output.Fields(
            ("Workspace", s.WorkspaceId),
            ("Plan", Display.Enum(s.Plan)),
            ("Upgraded", Display.Time(s.UpgradeTime)),
            ("Billing account", Account(s.BillingAccountId, s.BillingAccountUsername)),
            ("Bound", Display.Time(s.BindTime)),
            ("Method", Display.Enum(s.Method)),
            ("Cloud account", s.CloudAccountId),
            ("Allowed methods", string.Join(", ", s.AllowedMethods.Select(m => Display.Enum(m)))),
            ("Any method", Display.YesNo(s.ArbitrarySelection)),
            ("Method changed", Display.Time(s.MethodChangeTime)),
            ("Next change from", Display.Day(s.NextMethodChangeDay)),
            ("Cloud lock-in", Display.YesNo(s.CloudLockedIn)),
            ("Locked", Display.YesNo(s.Locked)),
            ("Arrears since", Display.Time(s.ArrearsSince)),
            ("Lock time", Display.Time(s.LockTime)));

    private static string Account(string id, string username) => id.Length == 0 ? "" : username.Length == 0 ? id : $"{id} ({username})";
}
