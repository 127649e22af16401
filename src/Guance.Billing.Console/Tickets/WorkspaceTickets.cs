using Grpc.Core;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Formatting;
using Guance.Billing.Console.Layout;
using Guance.Billing.V1;

namespace Guance.Billing.Console.Tickets;

/// <summary>
/// A workspace's tickets, in the console: every member sees and replies to them; the member who submitted
/// one closes, cancels, restarts and rates it (docs/domain.md §8).
/// </summary>
/// <param name="members">The workspace's members now, each one's name by user id; null when they could not be read.</param>
public sealed class WorkspaceTickets(ConsoleApi api, Workspace workspace, TimeZoneInfo zone, string userId, IReadOnlyDictionary<string, string>? members) : TicketScope
{
    public override TimeZoneInfo Zone => zone;

    public override string ListRoute => WorkspaceRoute.Tickets(workspace.WorkspaceId);

    public override string NotFoundText => "This ticket does not exist, or it is not this workspace's.";

    protected override (string BillingAccountId, string WorkspaceId) Ids => ("", workspace.WorkspaceId);

    public override Task<ApiResult<T>> CallAsync<T>(Func<TicketService.TicketServiceClient, AsyncUnaryCall<T>> rpc) =>
        api.CallAsync(a => rpc(a.Tickets));

    public override Task<ApiResult<byte[]>> DownloadAsync(TicketAttachment attachment) =>
        api.DownloadAsync(a => a.Tickets.GetTicketAttachment(AttachmentRequest(attachment)), chunk => chunk.Data);

    public override bool Holds(Ticket ticket) => ticket.WorkspaceId == workspace.WorkspaceId;

    // The Owner also acts for a submitter who has left the workspace.
    public override bool ActsAsSubmitter(Ticket ticket) =>
        ticket.CreatedByUserId == userId || (workspace.CallerRole == WorkspaceRole.Owner && members is not null && !members.ContainsKey(ticket.CreatedByUserId));

    public override string AuthorOf(TicketMessage message) =>
        message.Author == TicketAuthor.Submitter ? MemberName(message.AuthorUserId) : Names.Of(message.Author);

    public override bool NamesSubmitters => true;

    public override string SubmitterOf(Ticket ticket) => MemberName(ticket.CreatedByUserId);

    private string MemberName(string memberId) =>
        memberId == userId ? "You" : members is null ? "Another member" : members.GetValueOrDefault(memberId) ?? "A former member";
}
