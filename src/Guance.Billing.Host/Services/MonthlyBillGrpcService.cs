using Google.Protobuf;
using Grpc.Core;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.MonthlyBills;
using Guance.Billing.V1;

namespace Guance.Billing.Host.Services;

/// <summary>MonthlyBillService: generation, a billing account's monthly bills, the CSV export.</summary>
public sealed class MonthlyBillGrpcService(MonthlyBillManager bills, MonthlyBillCsv csv) : MonthlyBillService.MonthlyBillServiceBase
{
    public override async Task<GenerateMonthlyBillsResponse> GenerateMonthlyBills(GenerateMonthlyBillsRequest request, ServerCallContext context)
    {
        var run = await bills.GenerateAsync(context.GetCaller(), request.Year, request.Month, context.CancellationToken);
        return new GenerateMonthlyBillsResponse { Generated = run.Generated, Existing = run.Existing, Waiting = run.Waiting };
    }

    public override async Task<ListMonthlyBillsResponse> ListMonthlyBills(ListMonthlyBillsRequest request, ServerCallContext context)
    {
        var (page, next) = await bills.ListAsync(context.GetCaller(), request.BillingAccountId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListMonthlyBillsResponse { NextPageToken = next };
        response.MonthlyBills.Add(page.Select(b => b.ToMessage()));
        return response;
    }

    public override async Task<GetMonthlyBillResponse> GetMonthlyBill(GetMonthlyBillRequest request, ServerCallContext context)
    {
        var view = await bills.GetAsync(context.GetCaller(), request.MonthlyBillId, context.CancellationToken);
        return new GetMonthlyBillResponse { MonthlyBill = view.ToMessage() };
    }

    public override async Task ExportMonthlyBill(ExportMonthlyBillRequest request, IServerStreamWriter<ExportMonthlyBillResponse> responseStream, ServerCallContext context)
    {
        var chunks = await csv.ExportAsync(context.GetCaller(), request.MonthlyBillId, context.CancellationToken);
        await foreach (var chunk in chunks.WithCancellation(context.CancellationToken))
        {
            // Each write waits for the HTTP/2 window: a slow reader slows the database reads, not memory.
            await responseStream.WriteAsync(new ExportMonthlyBillResponse { Data = UnsafeByteOperations.UnsafeWrap(chunk.Data), Rows = chunk.Rows });
        }
    }
}
