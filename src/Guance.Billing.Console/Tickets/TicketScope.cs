using Grpc.Core;
using Guance.Billing.Console.Api;
using Guance.Billing.V1;

namespace Guance.Billing.Console.Tickets;

/// <summary>
/// Whose tickets the ticket components show (docs/domain.md §8): a billing account's, in the billing center
/// (<see cref="AccountTickets"/>), or a workspace's, in the console (<see cref="WorkspaceTickets"/>). The
/// components are the same for both; the scope says which session calls the host, which addresses the
/// list and a ticket have, in which zone days are picked, and who does the submitter's part.
/// </summary>
public abstract class TicketScope
{
    /// <summary>The zone of the days picked and the instants shown.</summary>
    public abstract TimeZoneInfo Zone { get; }

    /// <summary>The address of the list.</summary>
    public abstract string ListRoute { get; }

    /// <summary>What a ticket page says of a ticket the host does not show, or one of another scope.</summary>
    public abstract string NotFoundText { get; }

    /// <summary>The address of one ticket's page.</summary>
    public string RouteOf(string ticketId) => $"{ListRoute}/{Uri.EscapeDataString(ticketId)}";

    /// <summary>A search of this scope's tickets, its filters still to set.</summary>
    public ListTicketsRequest NewSearch() => new() { BillingAccountId = Ids.BillingAccountId, WorkspaceId = Ids.WorkspaceId };

    /// <summary>A ticket submitted in this scope, its content still to set.</summary>
    public CreateTicketRequest NewTicket() => new() { BillingAccountId = Ids.BillingAccountId, WorkspaceId = Ids.WorkspaceId };

    public abstract Task<ApiResult<T>> CallAsync<T>(Func<TicketService.TicketServiceClient, AsyncUnaryCall<T>> rpc);

    /// <summary>An attachment's bytes.</summary>
    public abstract Task<ApiResult<byte[]>> DownloadAsync(TicketAttachment attachment);

    /// <summary>Whether the ticket is one of this scope's (a console user may read another workspace's by its id).</summary>
    public abstract bool Holds(Ticket ticket);

    /// <summary>Whether the signed-in person closes, cancels, restarts and rates the ticket.</summary>
    public abstract bool ActsAsSubmitter(Ticket ticket);

    /// <summary>Who wrote a message, as the reader knows them.</summary>
    public abstract string AuthorOf(TicketMessage message);

    /// <summary>Whether the list names who submitted each ticket: a workspace's tickets come from several members.</summary>
    public virtual bool NamesSubmitters => false;

    /// <summary>Who submitted the ticket, as the reader knows them, where <see cref="NamesSubmitters"/>.</summary>
    public virtual string SubmitterOf(Ticket ticket) => "";

    /// <summary>The scope as requests name it: a billing account or a workspace, the other empty.</summary>
    protected abstract (string BillingAccountId, string WorkspaceId) Ids { get; }

    protected static GetTicketAttachmentRequest AttachmentRequest(TicketAttachment attachment) => new() { AttachmentId = attachment.AttachmentId };
}
