using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.Invoices;
using Guance.Billing.V1;
using InvoiceState = Guance.Billing.Invoices.InvoiceState;

namespace Guance.Billing.Host.Services;

/// <summary>InvoiceService: invoice information and addresses, sources, requests and the operator's desk.</summary>
public sealed class InvoiceGrpcService(InvoiceProfileManager profiles, InvoiceManager invoices, InvoiceDesk desk, InvoiceVerifier verifier)
    : InvoiceService.InvoiceServiceBase
{
    public override async Task<CreateInvoiceInfoResponse> CreateInvoiceInfo(CreateInvoiceInfoRequest request, ServerCallContext context) =>
        new() { InvoiceInfo = (await profiles.CreateInfoAsync(context.GetCaller(), request.BillingAccountId, request.InvoiceInfo.ToInput(), context.CancellationToken)).ToMessage() };

    public override async Task<ListInvoiceInfosResponse> ListInvoiceInfos(ListInvoiceInfosRequest request, ServerCallContext context)
    {
        var response = new ListInvoiceInfosResponse();
        response.InvoiceInfos.Add((await profiles.ListInfosAsync(context.GetCaller(), request.BillingAccountId, context.CancellationToken)).Select(i => i.ToMessage()));
        return response;
    }

    public override async Task<UpdateInvoiceInfoResponse> UpdateInvoiceInfo(UpdateInvoiceInfoRequest request, ServerCallContext context) =>
        new()
        {
            InvoiceInfo = (await profiles.UpdateInfoAsync(context.GetCaller(), request.InvoiceInfo?.InvoiceInfoId ?? "", request.InvoiceInfo.ToInput(),
                request.UpdateMask?.Paths.ToList() ?? [], context.CancellationToken)).ToMessage(),
        };

    public override async Task<DeleteInvoiceInfoResponse> DeleteInvoiceInfo(DeleteInvoiceInfoRequest request, ServerCallContext context)
    {
        await profiles.DeleteInfoAsync(context.GetCaller(), request.InvoiceInfoId, context.CancellationToken);
        return new DeleteInvoiceInfoResponse();
    }

    public override async Task<CreateMailingAddressResponse> CreateMailingAddress(CreateMailingAddressRequest request, ServerCallContext context) =>
        new() { MailingAddress = (await profiles.CreateAddressAsync(context.GetCaller(), request.BillingAccountId, request.MailingAddress.ToInput(), context.CancellationToken)).ToMessage() };

    public override async Task<ListMailingAddressesResponse> ListMailingAddresses(ListMailingAddressesRequest request, ServerCallContext context)
    {
        var response = new ListMailingAddressesResponse();
        response.MailingAddresses.Add((await profiles.ListAddressesAsync(context.GetCaller(), request.BillingAccountId, context.CancellationToken)).Select(a => a.ToMessage()));
        return response;
    }

    public override async Task<UpdateMailingAddressResponse> UpdateMailingAddress(UpdateMailingAddressRequest request, ServerCallContext context) =>
        new()
        {
            MailingAddress = (await profiles.UpdateAddressAsync(context.GetCaller(), request.MailingAddress?.MailingAddressId ?? "", request.MailingAddress.ToInput(),
                request.UpdateMask?.Paths.ToList() ?? [], context.CancellationToken)).ToMessage(),
        };

    public override async Task<DeleteMailingAddressResponse> DeleteMailingAddress(DeleteMailingAddressRequest request, ServerCallContext context)
    {
        await profiles.DeleteAddressAsync(context.GetCaller(), request.MailingAddressId, context.CancellationToken);
        return new DeleteMailingAddressResponse();
    }

    public override async Task<ListInvoiceableSourcesResponse> ListInvoiceableSources(ListInvoiceableSourcesRequest request, ServerCallContext context)
    {
        var (page, next) = await invoices.ListSourcesAsync(context.GetCaller(), request.BillingAccountId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListInvoiceableSourcesResponse { NextPageToken = next };
        response.Sources.Add(page.Select(s => s.ToMessage()));
        return response;
    }

    public override async Task<RequestInvoiceResponse> RequestInvoice(RequestInvoiceRequest request, ServerCallContext context)
    {
        var picks = request.Sources.Select(s => new InvoiceSourcePick(s.SourceId, s.Amount.ToInput())).ToList();
        var view = await invoices.RequestAsync(context.GetCaller(), request.BillingAccountId, request.RequestId, request.InvoiceInfoId,
            new InvoiceDelivery(request.MailingAddressId, request.Email), picks, context.CancellationToken);
        return new RequestInvoiceResponse { Invoice = view.ToMessage() };
    }

    public override async Task<CancelInvoiceRequestResponse> CancelInvoiceRequest(CancelInvoiceRequestRequest request, ServerCallContext context) =>
        new() { Invoice = (await invoices.CancelAsync(context.GetCaller(), request.InvoiceId, request.RequestId, context.CancellationToken)).ToMessage() };

    public override async Task<ListInvoicesResponse> ListInvoices(ListInvoicesRequest request, ServerCallContext context)
    {
        var (page, next) = await invoices.ListAsync(context.GetCaller(), request.BillingAccountId, request.States.Select(s => (InvoiceState)s).ToList(),
            request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListInvoicesResponse { NextPageToken = next };
        response.Invoices.Add(page.Select(i => i.ToMessage()));
        return response;
    }

    public override async Task<GetInvoiceResponse> GetInvoice(GetInvoiceRequest request, ServerCallContext context) =>
        new() { Invoice = (await invoices.GetAsync(context.GetCaller(), request.InvoiceId, context.CancellationToken)).ToMessage() };

    public override async Task GetInvoiceDocument(GetInvoiceDocumentRequest request, IServerStreamWriter<GetInvoiceDocumentResponse> responseStream, ServerCallContext context)
    {
        foreach (var chunk in await invoices.DocumentAsync(context.GetCaller(), request.InvoiceId, context.CancellationToken))
        {
            await responseStream.WriteAsync(new GetInvoiceDocumentResponse { Data = UnsafeByteOperations.UnsafeWrap(chunk) }, context.CancellationToken);
        }
    }

    public override async Task<IssueInvoiceResponse> IssueInvoice(IssueInvoiceRequest request, ServerCallContext context)
    {
        var day = request.IssueDate.ToDay(out _);
        var view = await desk.IssueAsync(context.GetCaller(), request.InvoiceId, request.RequestId, request.InvoiceNumber, day, request.IssueDate is not null, request.Document.Memory, context.CancellationToken);
        return new IssueInvoiceResponse { Invoice = view.ToMessage() };
    }

    public override async Task<RejectInvoiceRequestResponse> RejectInvoiceRequest(RejectInvoiceRequestRequest request, ServerCallContext context) =>
        new() { Invoice = (await desk.RejectAsync(context.GetCaller(), request.InvoiceId, request.RequestId, request.Reason, context.CancellationToken)).ToMessage() };

    public override async Task<MarkInvoiceMailedResponse> MarkInvoiceMailed(MarkInvoiceMailedRequest request, ServerCallContext context) =>
        new()
        {
            Invoice = (await desk.MarkMailedAsync(context.GetCaller(), request.InvoiceId, request.RequestId, request.Carrier, request.TrackingNumber,
                context.CancellationToken)).ToMessage(),
        };

    public override async Task<ReverseInvoiceResponse> ReverseInvoice(ReverseInvoiceRequest request, ServerCallContext context) =>
        new()
        {
            Invoice = (await desk.ReverseAsync(context.GetCaller(), request.InvoiceId, request.RequestId, request.RedLetterNumber, request.Reason,
                context.CancellationToken)).ToMessage(),
        };

    public override async Task<VerifyInvoicesResponse> VerifyInvoices(VerifyInvoicesRequest request, ServerCallContext context)
    {
        var problems = await verifier.VerifyAsync(context.GetCaller(), request.BillingAccountId, context.CancellationToken);
        var response = new VerifyInvoicesResponse { Clean = problems.Count == 0 };
        response.Problems.Add(problems.Select(p => p.ToMessage()));
        return response;
    }
}

public static class InvoiceGrpcServices
{
    /// <summary>An electronic invoice's PDF may be up to 10 MB: this service alone takes messages that large.</summary>
    public static IServiceCollection AddInvoiceGrpc(this IServiceCollection services)
    {
        services.AddOptions<GrpcServiceOptions<InvoiceGrpcService>>()
            .Configure(grpc => grpc.MaxReceiveMessageSize = InvoiceDesk.MaxDocumentBytes + 64 * 1024);
        return services;
    }
}
