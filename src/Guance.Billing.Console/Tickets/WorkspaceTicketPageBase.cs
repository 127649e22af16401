using Guance.Billing.Console.Api;
using Guance.Billing.Console.Components;
using Guance.Billing.Console.Formatting;
using Guance.Billing.Console.Session;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Tickets;

/// <summary>A page of a workspace's tickets, which every member of the workspace sees (docs/domain.md §8).</summary>
public abstract class WorkspaceTicketPageBase : WorkspacePageBase
{
    [Inject] protected ConsoleSession Session { get; set; } = default!;

    /// <summary>The workspace's tickets, as the signed-in member sees them.</summary>
    protected TicketScope Tickets { get; private set; } = default!;

    /// <summary>Whether the page shows a ticket's thread and actions: the Owner's actions depend on who is still a member.</summary>
    protected virtual bool ActsOnTicket => false;

    protected override async Task<ConsoleError?> LoadAsync()
    {
        // The members name the submitters and the authors of messages.
        var listed = await ApiPage.AllAsync(async token => ApiPage.Of(
            await Api.CallAsync(a => a.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = WorkspaceId, PageSize = 1000, PageToken = token })),
            r => r.Members, r => r.NextPageToken));
        // The names are a courtesy, but the Owner's actions on a ticket depend on who is still a member: only that page fails without them.
        if (listed.Error is { } error && ActsOnTicket && IsOwner)
        {
            return error;
        }
        var members = listed.Value?.ToDictionary(m => m.UserId, Names.Of, StringComparer.Ordinal);
        Tickets = new WorkspaceTickets(Api, Workspace, Zone, Session.User?.UserId ?? "", members);
        return null;
    }
}
