using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Commands.Settlement;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands;

/// <summary>workspaces: create, list, show, update, dissolve, transfer, upgrade, plus members, retention and collector tokens.</summary>
public sealed class WorkspaceCommands : ICommandGroup
{
    public int Order => 40;

    public IEnumerable<Command> Build() =>
    [
        new Command("workspaces", "Workspaces: create, list, show, update, dissolve, transfer, upgrade; members, retention, collector tokens")
        {
            Create(), List(), Show(), Update(), Dissolve(), Transfer(), UpgradeCommand.Build(),
            WorkspaceMemberCommands.Build(), WorkspaceRetentionCommands.Build(), WorkspaceAlertCommands.Build(), CollectorTokenCommands.Build(),
        },
    ];

    /// <summary>The workspace id argument (one instance per command).</summary>
    public static Argument<string> WorkspaceId() => new("workspace-id") { Description = "The workspace, e.g. ws_..." };

    private static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Name, 1 to 64 characters", Required = true };
        var site = new Option<string>("--site") { Description = "Site code from 'guance-billing sites', e.g. cn1", Required = true };
        var channel = new Option<string>("--channel")
        {
            Description = "How the workspace is activated: " + string.Join(", ", CliEnum.Names<ActivationChannel>()),
            DefaultValueFactory = _ => CliEnum.Name(ActivationChannel.OfficialWebsite),
        };
        CliEnum.AcceptOnly(channel, CliEnum.Names<ActivationChannel>());
        var description = new Option<string?>("--description") { Description = "Free text, at most 512 characters" };
        var command = new Command("create", "Create an experience-plan workspace; you become its Owner") { name, site, channel, description };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
            {
                Name = context.Get(name)!,
                SiteCode = context.Get(site)!,
                ActivationChannel = CliEnum.Parse<ActivationChannel>(context.Get(channel)!),
                Description = context.Get(description) ?? "",
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowWorkspace(context, response.Workspace));
            return ExitCodes.Ok;
        });
    }

    private static Command List()
    {
        var dissolved = new Option<bool>("--show-dissolved") { Description = "List dissolved workspaces too" };
        var command = new Command("list", "List your workspaces (all of them with the operator token)") { dissolved };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await Pages.ReadAsync(context,
                (size, token) => context.Client.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest
                {
                    PageSize = size, PageToken = token, ShowDissolved = context.Get(dissolved),
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.Workspaces, r => r.NextPageToken, (r, next) => r.NextPageToken = next);
            context.Output.Result(response, () => context.Output.Table(
                ["WORKSPACE ID", "NAME", "SITE", "PLAN", "STATE", "YOUR ROLE", "CREATED"],
                response.Workspaces.Select(w => new[]
                {
                    w.WorkspaceId, w.Name, w.SiteCode, Display.Enum(w.Plan), Display.Enum(w.State), Display.Enum(w.CallerRole), Display.Time(w.CreateTime),
                }),
                "No workspaces."));
            return ExitCodes.Ok;
        });
    }

    private static Command Show()
    {
        var id = WorkspaceId();
        var command = new Command("show", "Show a workspace and its retention") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowWorkspace(context, response.Workspace));
            return ExitCodes.Ok;
        });
    }

    private static Command Update()
    {
        var id = WorkspaceId();
        var name = new Option<string?>("--name") { Description = "New name" };
        var description = new Option<string?>("--description") { Description = "New description (\"\" to clear it)" };
        var command = new Command("update", "Change a workspace's name or description (Owner or Administrator)") { id, name, description };
        command.AddCheck(result =>
        {
            if (result.GetResult(name) is null && result.GetResult(description) is null)
            {
                result.AddError("Nothing to update: pass --name, --description or both.");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new UpdateWorkspaceRequest { WorkspaceId = context.Get(id)!, Workspace = new Workspace(), UpdateMask = new FieldMask() };
            if (context.Get(name) is { } newName)
            {
                request.Workspace.Name = newName;
                request.UpdateMask.Paths.Add("name");
            }
            if (context.Get(description) is { } newDescription)
            {
                request.Workspace.Description = newDescription;
                request.UpdateMask.Paths.Add("description");
            }
            var response = await context.Client.Workspaces.UpdateWorkspaceAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowWorkspace(context, response.Workspace));
            return ExitCodes.Ok;
        });
    }

    private static Command Dissolve()
    {
        var id = WorkspaceId();
        var command = new Command("dissolve", "Dissolve a workspace: its usage is refused and its tokens stop working (Owner only; cannot be undone)") { id };
        command.WithConfirmation();
        return command.Handle(async (context, cancellationToken) =>
        {
            var workspaceId = context.Get(id)!;
            if (!Confirmation.Confirm(context, $"Dissolve workspace {workspaceId}? This cannot be undone."))
            {
                context.Output.Note("Nothing done.");
                return ExitCodes.Ok;
            }
            var response = await context.Client.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = workspaceId }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line($"Dissolved {response.Workspace.WorkspaceId} ({response.Workspace.Name}) at {Display.Time(response.Workspace.DissolveTime)}."));
            return ExitCodes.Ok;
        });
    }

    private static Command Transfer()
    {
        var id = WorkspaceId();
        var to = new Option<string>("--to") { Description = "The member who becomes Owner: user id or e-mail", Required = true };
        var command = new Command("transfer", "Make another member the Owner; you become an Administrator (Owner only)") { id, to };
        command.WithConfirmation();
        return command.Handle(async (context, cancellationToken) =>
        {
            var workspaceId = context.Get(id)!;
            var newOwner = await WorkspaceMemberCommands.ResolveUserIdAsync(context, workspaceId, context.Get(to)!, cancellationToken);
            if (!Confirmation.Confirm(context, $"Make {context.Get(to)} the Owner of {workspaceId}? Only the new Owner can give it back."))
            {
                context.Output.Note("Nothing done.");
                return ExitCodes.Ok;
            }
            var response = await context.Client.Workspaces.TransferOwnershipAsync(new TransferOwnershipRequest
            {
                WorkspaceId = workspaceId, NewOwnerUserId = newOwner,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line($"{response.Workspace.OwnerUserId} now owns {response.Workspace.WorkspaceId} ({response.Workspace.Name})."));
            return ExitCodes.Ok;
        });
    }

    public static void ShowWorkspace(CliContext context, Workspace workspace)
    {
        context.Output.Fields(
            ("Workspace", workspace.WorkspaceId),
            ("Name", workspace.Name),
            ("Description", workspace.Description),
            ("Site", workspace.SiteCode),
            ("Channel", Display.Enum(workspace.ActivationChannel)),
            ("Plan", Display.Enum(workspace.Plan)),
            ("State", Display.Enum(workspace.State)),
            ("Owner", workspace.OwnerUserId),
            ("Your role", Display.Enum(workspace.CallerRole)),
            ("Created", Display.Time(workspace.CreateTime)),
            ("Upgraded", Display.Time(workspace.UpgradeTime)),
            ("Dissolved", Display.Time(workspace.DissolveTime)));
        WorkspaceRetentionCommands.ShowRetentions(context, workspace);
    }
}
