using System.Buffers;
using System.Runtime.ExceptionServices;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Guance.Billing.Common;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.Usage;
using Guance.Billing.V1;
using Microsoft.Extensions.Options;
using Domain = Guance.Billing.Usage;

namespace Guance.Billing.Host.Services;

/// <summary>
/// UsageService. StreamUsage reads batches and hands them to the domain in order; each batch's answer is
/// written once the domain completes it (after the commit) and the answer before it is written, so answers
/// keep the batches' order.
/// The reports and resets (and their database context) are resolved by the unary calls that use them,
/// not for every held stream (docs/performance.md, "Memory of held streams").
/// </summary>
public sealed class UsageGrpcService(
    UsageIngestion ingestion, IServiceProvider callServices, IOptions<UsageOptions> options, IHostApplicationLifetime lifetime, TimeProvider clock, BulkWorkScheduler bulk)
    : UsageService.UsageServiceBase
{
    public override Task<ListBillingItemsResponse> ListBillingItems(ListBillingItemsRequest request, ServerCallContext context)
    {
        var response = new ListBillingItemsResponse();
        response.BillingItems.Add(BillingItems.All.Select(i => i.ToMessage(options.Value)));
        return Task.FromResult(response);
    }

    public override async Task StreamUsage(IAsyncStreamReader<StreamUsageRequest> requestStream, IServerStreamWriter<StreamUsageResponse> responseStream, ServerCallContext context)
    {
        // Refused before any message is read, and bounded while it waits for one: idle calls cost memory.
        using var call = ingestion.AcceptStream(context.GetCaller());
        if (!await ReadOpenAsync(requestStream, context.CancellationToken))
        {
            return;
        }
        if (requestStream.Current.KindCase != StreamUsageRequest.KindOneofCase.Open)
        {
            throw Errors.InvalidArgument("open", "the first message of a stream must be open, with the collector id");
        }
        using var session = await ingestion.OpenStreamAsync(context.GetCaller(), requestStream.Current.Open.CollectorId, context.CancellationToken);
        await responseStream.WriteAsync(new StreamUsageResponse { Opened = session.Opened.ToMessage() });

        // A stopping host stops reading, answers what it took, and ends the stream so that the agent resumes elsewhere.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        // The last answer's write; each answer waits for the one before it (at most the window of them).
        var answered = Task.CompletedTask;
        Exception? failure = null;
        try
        {
            while (await requestStream.MoveNext(stop.Token))
            {
                var message = requestStream.Current;
                if (message.KindCase == StreamUsageRequest.KindOneofCase.Open)
                {
                    throw Errors.InvalidArgument("open", "a stream is opened once; send only batches after it");
                }
                if (message.KindCase != StreamUsageRequest.KindOneofCase.Batch)
                {
                    throw Errors.InvalidArgument("batch", "must be set: every message after the open carries a batch");
                }
                var batch = message.Batch;
                var (records, count) = UsageBatchDecoder.RentRecords(batch);
                try
                {
                    var outcome = await session.SubmitAsync(batch.Sequence, records.AsMemory(0, count), stop.Token);
                    answered = AnswerAsync(answered, outcome, responseStream, session, stop, context.CancellationToken);
                }
                finally
                {
                    ArrayPool<Domain.UsageRecord>.Shared.Return(records);
                }
                // A stream of big batches is read on threads of its own, not in the queue where people's calls wait (BulkWorkScheduler).
                if (count >= options.Value.BulkBatchRecords)
                {
                    await bulk.Enter();
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        // Answer what was taken before ending the stream, so that the agent learns what committed.
        try
        {
            await answered;
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
        }
        // The agent went away (or the host is stopping): nothing more to answer.
        context.CancellationToken.ThrowIfCancellationRequested();
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw UsageErrors.HostStopping();
        }
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    public override async Task<ReportUsageResponse> ReportUsage(ReportUsageRequest request, ServerCallContext context)
    {
        var buffer = ArrayPool<Domain.UsageRecord>.Shared.Rent(Math.Max(1, request.Records.Count));
        try
        {
            UsageMapping.ToRecords(request.Records, buffer);
            var outcome = await ingestion.ReportAsync(context.GetCaller(), request.CollectorId, request.Sequence,
                buffer.AsMemory(0, request.Records.Count), context.CancellationToken);
            return new ReportUsageResponse { Sequence = outcome.Sequence, Duplicate = outcome.Result == BatchResult.Duplicate };
        }
        finally
        {
            ArrayPool<Domain.UsageRecord>.Shared.Return(buffer);
        }
    }

    public override async Task<GetUsageStatisticsResponse> GetUsageStatistics(GetUsageStatisticsRequest request, ServerCallContext context)
    {
        var statistics = await callServices.GetRequiredService<UsageReports>().GetStatisticsAsync(context.GetCaller(), request.WorkspaceId, context.CancellationToken);
        return statistics.ToMessage();
    }

    public override async Task<ListUsagePointsResponse> ListUsagePoints(ListUsagePointsRequest request, ServerCallContext context)
    {
        var (points, next) = await callServices.GetRequiredService<UsageReports>().ListPointsAsync(context.GetCaller(), request.WorkspaceId, (int)request.Item,
            (PointGranularity)request.Granularity, request.StartTime.ToOptionalInstant("start_time"), request.EndTime.ToOptionalInstant("end_time"),
            request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListUsagePointsResponse { NextPageToken = next };
        response.Points.Add(points.Select(p => p.ToMessage()));
        return response;
    }

    public override async Task<ResetCollectorSequenceResponse> ResetCollectorSequence(ResetCollectorSequenceRequest request, ServerCallContext context)
    {
        var (reset, replayed) = await callServices.GetRequiredService<CollectorSequenceResets>().ResetAsync(context.GetCaller(), request.WorkspaceId, request.CollectorId, request.LastSequence,
            request.Reason, request.RequestId, context.CancellationToken);
        return reset.ToMessage(replayed);
    }

    /// <summary>Reads the first message, which must come within the open timeout (OPEN_TIMEOUT otherwise); false when the agent sent none and closed.</summary>
    private async Task<bool> ReadOpenAsync(IAsyncStreamReader<StreamUsageRequest> requestStream, CancellationToken callEnded)
    {
        var timeout = options.Value.OpenTimeout;
        using var expired = new CancellationTokenSource(timeout, clock);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(callEnded, expired.Token);
        try
        {
            return await requestStream.MoveNext(wait.Token);
        }
        catch (Exception) when (expired.IsCancellationRequested && !callEnded.IsCancellationRequested)
        {
            throw UsageErrors.OpenTimeout(timeout);
        }
    }

    /// <summary>
    /// Writes a batch's answer after the answer before it (<paramref name="previous"/>) and the batch's commit; a failed
    /// commit or write ends the stream (the agent resends from its mark). Chained per batch rather than read from a
    /// queue by a loop: the queue's wake-up was one more thread-pool hop per batch (docs/performance.md, fleet).
    /// </summary>
    private static async Task AnswerAsync(Task previous, Task<BatchOutcome> pending, IServerStreamWriter<StreamUsageResponse> responseStream,
        UsageStreamSession session, CancellationTokenSource stop, CancellationToken call)
    {
        try
        {
            await previous;
            var outcome = await pending;
            var response = outcome.Result == BatchResult.Rejected
                ? new StreamUsageResponse { Rejected = new UsageBatchRejected { Sequence = outcome.Sequence, Status = ErrorMapping.ToStatus(outcome.Error!) } }
                : new StreamUsageResponse { Ack = new UsageBatchAck { Sequence = outcome.Sequence, Duplicate = outcome.Result == BatchResult.Duplicate } };
            // Released before the write: the agent may send its next batch as soon as it reads this answer.
            session.Answered();
            // The call's token, not the stop: a stopping host still answers what it took.
            await responseStream.WriteAsync(response, call);
        }
        catch (Exception)
        {
            await stop.CancelAsync();
            throw;
        }
    }
}

/// <summary>Host settings of UsageService.</summary>
public static class UsageGrpcSetup
{
    /// <summary>The largest message UsageService reads is <c>Guance:Usage:MaxMessageBytes</c>.</summary>
    public static IServiceCollection AddUsageGrpc(this IServiceCollection services)
    {
        services.AddSingleton<BulkWorkScheduler>();
        services.AddOptions<GrpcServiceOptions<UsageGrpcService>>()
            .Configure<IOptions<UsageOptions>>((grpc, usage) => grpc.MaxReceiveMessageSize = usage.Value.MaxMessageBytes);
        return services;
    }
}
