using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands;

/// <summary>workspaces members list/add/role/remove.</summary>
public static class WorkspaceMemberCommands
{
    public static Command Build() => new("members", "Members of a workspace and their roles") { List(), Add(), Role(), Remove() };

    private static Argument<string> Member() => new("member") { Description = "The member: user id (usr_...) or e-mail address" };

    private static Option<string> RoleOption(bool required)
    {
        var role = new Option<string>("--role") { Description = "administrator (Owner only), standard or read-only; to make someone the Owner, use 'workspaces transfer'", Required = required };
        if (!required)
        {
            role.DefaultValueFactory = _ => CliEnum.Name(WorkspaceRole.Standard);
        }
        // The Owner is not a role to give: 'workspaces transfer' hands the workspace over.
        CliEnum.AcceptOnly(role, CliEnum.Names<WorkspaceRole>().Where(name => name != CliEnum.Name(WorkspaceRole.Owner)).ToArray());
        return role;
    }

    private static Command List()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var command = new Command("list", "List the members, in the order they joined") { id };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await Pages.ReadAsync(context,
                (size, token) => context.Client.Workspaces.ListMembersAsync(new ListMembersRequest
                {
                    WorkspaceId = context.Get(id)!, PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.Members, r => r.NextPageToken, (r, next) => r.NextPageToken = next);
            context.Output.Result(response, () => context.Output.Table(
                ["USER ID", "E-MAIL", "NAME", "ROLE", "JOINED"],
                response.Members.Select(m => new[] { m.UserId, m.Email, m.DisplayName, Display.Enum(m.Role), Display.Time(m.JoinTime) }),
                "No members."));
            return ExitCodes.Ok;
        });
    }

    private static Command Add()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var email = new Option<string>("--email") { Description = "E-mail address of a console user who signed up already", Required = true };
        var role = RoleOption(required: false);
        var command = new Command("add", "Add a console user as a member") { id, email, role };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Workspaces.AddMemberAsync(new AddMemberRequest
            {
                WorkspaceId = context.Get(id)!, Email = context.Get(email)!, Role = CliEnum.Parse<WorkspaceRole>(context.Get(role)!),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowMember(context, response.Member));
            return ExitCodes.Ok;
        });
    }

    private static Command Role()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var member = Member();
        var role = RoleOption(required: true);
        var command = new Command("role", "Change a member's role (only the Owner grants or takes away administrator)") { id, member, role };
        return command.Handle(async (context, cancellationToken) =>
        {
            var workspaceId = context.Get(id)!;
            var response = await context.Client.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest
            {
                WorkspaceId = workspaceId,
                UserId = await ResolveUserIdAsync(context, workspaceId, context.Get(member)!, cancellationToken),
                Role = CliEnum.Parse<WorkspaceRole>(context.Get(role)!),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowMember(context, response.Member));
            return ExitCodes.Ok;
        });
    }

    private static Command Remove()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var member = Member();
        var command = new Command("remove", "Remove a member (your own id or e-mail to leave); the Owner cannot be removed") { id, member };
        return command.Handle(async (context, cancellationToken) =>
        {
            var workspaceId = context.Get(id)!;
            var userId = await ResolveUserIdAsync(context, workspaceId, context.Get(member)!, cancellationToken);
            var response = await context.Client.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = workspaceId, UserId = userId }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line($"Removed {context.Get(member)} from {workspaceId}."));
            return ExitCodes.Ok;
        });
    }

    /// <summary>A user id as given, or the id of the member with this e-mail address (NOT_FOUND otherwise).</summary>
    public static async Task<string> ResolveUserIdAsync(CliContext context, string workspaceId, string member, CancellationToken cancellationToken)
    {
        if (!member.Contains('@'))
        {
            return member;
        }
        var pageToken = "";
        do
        {
            var page = await context.Client.Workspaces.ListMembersAsync(new ListMembersRequest
            {
                WorkspaceId = workspaceId, PageSize = 1000, PageToken = pageToken,
            }, cancellationToken: cancellationToken);
            if (page.Members.FirstOrDefault(m => string.Equals(m.Email, member.Trim(), StringComparison.OrdinalIgnoreCase)) is { } found)
            {
                return found.UserId;
            }
            pageToken = page.NextPageToken;
        }
        while (pageToken.Length > 0);
        throw LocalErrors.NotFound("MEMBER_NOT_FOUND", "member", member, $"No member of {workspaceId} has the e-mail address {member}.");
    }

    private static void ShowMember(CliContext context, Member member) =>
        context.Output.Table(
            ["USER ID", "E-MAIL", "NAME", "ROLE", "JOINED"],
            [[member.UserId, member.Email, member.DisplayName, Display.Enum(member.Role), Display.Time(member.JoinTime)]],
            "");
}
