using Grpc.AspNetCore.Server;
using Grpc.Core;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.Tickets;
using Guance.Billing.V1;

namespace Guance.Billing.Host.Services;

/// <summary>TicketService: support tickets, their threads and attachments, the automatic close.</summary>
public sealed class TicketGrpcService(TicketManager tickets, TicketTransitions transitions, TicketQueries queries) : TicketService.TicketServiceBase
{
    /// <summary>The size of one chunk of GetTicketAttachment.</summary>
    public const int ChunkBytes = 64 * 1024;

    public override async Task<CreateTicketResponse> CreateTicket(CreateTicketRequest request, ServerCallContext context)
    {
        var (ticket, replayed) = await tickets.CreateAsync(context.GetCaller(), new NewTicket(
            request.BillingAccountId, request.WorkspaceId, (Tickets.TicketType)request.Type, request.Title, request.Description,
            request.Attachments.ToUploads(), request.RequestId), context.CancellationToken);
        return new CreateTicketResponse { Ticket = ticket.ToMessage(), Replayed = replayed };
    }

    public override async Task<ListTicketsResponse> ListTickets(ListTicketsRequest request, ServerCallContext context)
    {
        var filter = new TicketFilter(request.BillingAccountId, request.WorkspaceId,
            TicketMapping.ToFilter<Tickets.TicketState>((int)request.State), TicketMapping.ToFilter<Tickets.TicketType>((int)request.Type),
            request.CreateTimeFrom.ToOptionalInstant("create_time_from"), request.CreateTimeTo.ToOptionalInstant("create_time_to"), request.TitleKeyword);
        var (page, next) = await queries.ListAsync(context.GetCaller(), filter, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListTicketsResponse { NextPageToken = next };
        response.Tickets.Add(page.Select(t => t.ToMessage()));
        return response;
    }

    public override async Task<GetTicketResponse> GetTicket(GetTicketRequest request, ServerCallContext context)
    {
        var thread = await queries.GetAsync(context.GetCaller(), request.TicketId, context.CancellationToken);
        var response = new GetTicketResponse { Ticket = thread.Ticket.ToMessage() };
        response.Messages.Add(thread.Messages.Select(m => m.ToMessage(thread.Attachments[m.Id])));
        return response;
    }

    public override async Task<ReplyToTicketResponse> ReplyToTicket(ReplyToTicketRequest request, ServerCallContext context)
    {
        var reply = await tickets.ReplyAsync(context.GetCaller(), request.TicketId, request.Text, request.Attachments.ToUploads(), request.RequestId,
            context.CancellationToken);
        var thread = await queries.GetAsync(context.GetCaller(), reply.Ticket.Id, context.CancellationToken);
        return new ReplyToTicketResponse
        {
            Ticket = reply.Ticket.ToMessage(),
            Message = reply.Message.ToMessage(thread.Attachments[reply.Message.Id]),
            Replayed = reply.Replayed,
        };
    }

    public override async Task<CloseTicketResponse> CloseTicket(CloseTicketRequest request, ServerCallContext context) =>
        new() { Ticket = (await transitions.CloseAsync(context.GetCaller(), request.TicketId, context.CancellationToken)).ToMessage() };

    public override async Task<CancelTicketResponse> CancelTicket(CancelTicketRequest request, ServerCallContext context) =>
        new() { Ticket = (await transitions.CancelAsync(context.GetCaller(), request.TicketId, context.CancellationToken)).ToMessage() };

    public override async Task<RestartTicketResponse> RestartTicket(RestartTicketRequest request, ServerCallContext context) =>
        new() { Ticket = (await transitions.RestartAsync(context.GetCaller(), request.TicketId, context.CancellationToken)).ToMessage() };

    public override async Task<RateTicketResponse> RateTicket(RateTicketRequest request, ServerCallContext context) =>
        new() { Ticket = (await transitions.RateAsync(context.GetCaller(), request.TicketId, request.Stars, request.Comment, context.CancellationToken)).ToMessage() };

    public override async Task<AcceptTicketResponse> AcceptTicket(AcceptTicketRequest request, ServerCallContext context) =>
        new() { Ticket = (await transitions.AcceptAsync(context.GetCaller(), request.TicketId, context.CancellationToken)).ToMessage() };

    public override async Task<RunTicketAutoCloseResponse> RunTicketAutoClose(RunTicketAutoCloseRequest request, ServerCallContext context) =>
        new() { Closed = await transitions.RunAutoCloseAsync(context.GetCaller(), context.CancellationToken) };

    public override async Task GetTicketAttachment(GetTicketAttachmentRequest request, IServerStreamWriter<GetTicketAttachmentResponse> responseStream,
        ServerCallContext context)
    {
        var file = await queries.AttachmentAsync(context.GetCaller(), request.AttachmentId, context.CancellationToken);
        for (var offset = 0; offset < file.Content.Length; offset += ChunkBytes)
        {
            var chunk = new GetTicketAttachmentResponse
            {
                Data = TicketMapping.ToChunk(file.Content.AsMemory(offset, Math.Min(ChunkBytes, file.Content.Length - offset))),
            };
            if (offset == 0)
            {
                chunk.FileName = file.FileName;
                chunk.SizeBytes = file.Content.Length;
            }
            await responseStream.WriteAsync(chunk, context.CancellationToken);
        }
    }
}

public static class TicketGrpcSetup
{
    /// <summary>Only this service takes requests as large as a message with five 8 MiB attachments.</summary>
    public static IServiceCollection AddTicketGrpc(this IServiceCollection services)
    {
        services.AddOptions<GrpcServiceOptions<TicketGrpcService>>().Configure(grpc => grpc.MaxReceiveMessageSize = TicketRules.MaxRequestBytes);
        return services;
    }
}
