using Guance.Billing.Console.Api;
using Guance.Billing.Console.Components;
using Guance.Billing.Console.Session;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Tickets;

/// <summary>A page of a workspace's tickets, which every member of the workspace sees (docs/domain.md §8).</summary>
public abstract class WorkspaceTicketPageBase : WorkspacePageBase
{
    [Inject] protected ConsoleSession Session { get; set; } = default!;

    /// <summary>The workspace's tickets, as the signed-in member sees them.</summary>
    protected TicketScope Tickets { get; private set; } = default!;

    protected override Task<ConsoleError?> LoadAsync()
    {
        Tickets = new WorkspaceTickets(Api, Workspace, Zone, Session.User?.UserId ?? "");
        return Task.FromResult<ConsoleError?>(null);
    }
}
