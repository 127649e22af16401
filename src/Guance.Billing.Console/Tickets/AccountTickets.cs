using Grpc.Core;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Formatting;
using Guance.Billing.Console.Layout;
using Guance.Billing.V1;

namespace Guance.Billing.Console.Tickets;

/// <summary>The signed-in billing account's tickets, in the billing center: the account is the submitter of each.</summary>
public sealed class AccountTickets(BillingCenterApi api) : TicketScope
{
    public override TimeZoneInfo Zone => BillingCenterRoute.Zone;

    public override string ListRoute => BillingCenterRoute.Tickets;

    public override string NotFoundText => "This ticket does not exist, or it is not this account's.";

    protected override (string BillingAccountId, string WorkspaceId) Ids => (api.AccountId, "");

    public override Task<ApiResult<T>> CallAsync<T>(Func<TicketService.TicketServiceClient, AsyncUnaryCall<T>> rpc) =>
        api.CallAsync(a => rpc(a.Tickets));

    public override Task<ApiResult<byte[]>> DownloadAsync(TicketAttachment attachment) =>
        api.DownloadAsync(a => a.Tickets.GetTicketAttachment(AttachmentRequest(attachment)), chunk => chunk.Data);

    // The host shows an account its own tickets only.
    public override bool Holds(Ticket ticket) => true;

    public override bool ActsAsSubmitter(Ticket ticket) => true;

    public override string AuthorOf(TicketMessage message) => Names.Of(message.Author);
}
