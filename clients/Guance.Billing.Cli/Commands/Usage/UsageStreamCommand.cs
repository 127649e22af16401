using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.Client;
using Guance.Billing.Client.Usage;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Usage;

/// <summary>
/// usage stream: replays a file of usage records through StreamUsage with the client library's
/// <see cref="UsageUploader"/> (numbered batches, send-ahead window, acks after commit, reconnects),
/// as an agent would, with a progress bar of the records the host has answered.
/// </summary>
public static class UsageStreamCommand
{
    public static Command Build()
    {
        var token = UsageReportCommand.CollectorToken();
        var collector = UsageReportCommand.CollectorId();
        var file = new Option<string>("--file", "-f")
        {
            Description = "Records, one a line: item,quantity[,observed_at] (e.g. logs,1200,2026-11-25T08:00:00Z; no time means now); '-' reads standard input",
            Required = true,
        };
        var spool = new Option<string?>("--spool") { Description = "Keep unacknowledged batches in this directory (they survive a restart of the command)" };
        var command = new Command("stream", "Stream a file of usage records as an agent would (StreamUsage, collector token), with progress") { token, collector, file, spool };
        return command.Handle(async (context, cancellationToken) =>
        {
            var collectorToken = UsageReportCommand.ResolveCollectorToken(context, token);
            var records = UsageRecordFile.Read(context, context.Get(file)!);
            var client = context.Connect(collectorToken);
            var rejections = new ConcurrentQueue<BatchRejected>();
            var stopped = new ConcurrentQueue<ItemStopped>();
            RpcException? fatal = null;
            Exception? lastError = null;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await using var uploader = new UsageUploader(client.CallInvoker, new UsageUploaderOptions
            {
                CollectorId = context.Get(collector)!,
                SpoolDirectory = context.Get(spool),
                FlushInterval = TimeSpan.FromMilliseconds(200),
            });
            uploader.Rejected += rejections.Enqueue;
            uploader.ItemStopped += stopped.Enqueue;
            uploader.Disconnected += e =>
            {
                lastError = e.Error;
                if (e.Error is RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.NotFound } final)
                {
                    fatal = final;
                    stop.Cancel();
                }
            };
            var running = uploader.RunAsync(stop.Token);
            var stalled = false;
            try
            {
                stalled = await ProgressDisplay.RunAsync(context, $"Streaming {records.Count:N0} records", records.Count, async progress =>
                {
                    foreach (var record in records)
                    {
                        await uploader.AddAsync(record, stop.Token);
                    }
                    // Done when every record is answered (acknowledged, or dropped with a refusal): the
                    // records of a refused batch that the refusal did not concern are queued again.
                    var answered = -1L;
                    var lastMove = DateTimeOffset.UtcNow;
                    while (!stop.IsCancellationRequested)
                    {
                        var now = uploader.Statistics.RecordsAcknowledged + uploader.Statistics.RecordsDropped;
                        progress.Report(now);
                        if (now >= records.Count && uploader.PendingBatches == 0)
                        {
                            break;
                        }
                        if (uploader.PendingBatches == 0)
                        {
                            await uploader.FlushAsync(stop.Token);
                        }
                        if (now != answered)
                        {
                            (answered, lastMove) = (now, DateTimeOffset.UtcNow);
                        }
                        else if (DateTimeOffset.UtcNow - lastMove > context.Timeout)
                        {
                            return true;
                        }
                        await Task.Delay(50, stop.Token);
                    }
                    progress.Report(records.Count);
                    return false;
                });
            }
            catch (OperationCanceledException) when (fatal is not null && !cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                await stop.CancelAsync();
                await running;
            }
            if (fatal is not null)
            {
                throw fatal;
            }
            if (stalled)
            {
                var why = lastError is RpcException rpc ? rpc.Status.Detail : lastError?.Message ?? "no answer";
                context.Environment.Error.WriteLine($"error: the host at {context.Server} took nothing for {context.Timeout.TotalSeconds:0}s (UNAVAILABLE): {why.ReplaceLineEndings(" ")}");
                context.Environment.Error.WriteLine($"  hint: {uploader.PendingBatches} batch(es) unanswered; with --spool a later run sends them again (raise --timeout to wait longer)");
                return ExitCodes.Unavailable;
            }
            return Report(context, context.Get(collector)!, uploader.Statistics, records.Count, rejections.ToArray(), stopped.ToArray());
        });
    }

    private static int Report(CliContext context, string collectorId, UsageUploaderStatistics statistics, int read, BatchRejected[] rejections, ItemStopped[] stopped)
    {
        var summary = new Struct();
        summary.Fields["collectorId"] = Value.ForString(collectorId);
        summary.Fields["recordsRead"] = Value.ForNumber(read);
        summary.Fields["recordsAcknowledged"] = Value.ForNumber(statistics.RecordsAcknowledged);
        summary.Fields["recordsDropped"] = Value.ForNumber(statistics.RecordsDropped);
        summary.Fields["batchesAcknowledged"] = Value.ForNumber(statistics.BatchesAcknowledged);
        summary.Fields["batchesDuplicate"] = Value.ForNumber(statistics.BatchesDuplicate);
        summary.Fields["batchesRejected"] = Value.ForNumber(statistics.BatchesRejected);
        summary.Fields["reconnects"] = Value.ForNumber(statistics.Reconnects);
        summary.Fields["stoppedItems"] = Value.ForList(stopped.Select(s => Value.ForStruct(new Struct
        {
            Fields =
            {
                ["item"] = Value.ForString(CliEnum.Name(s.Item)),
                ["reason"] = Value.ForString(s.Reason),
                ["until"] = Value.ForString(s.Until.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            },
        })).ToArray());
        summary.Fields["rejections"] = Value.ForList(rejections.Select(r => Value.ForStruct(new Struct
        {
            Fields =
            {
                ["sequence"] = Value.ForString(r.Sequence.ToString(CultureInfo.InvariantCulture)),
                ["reason"] = Value.ForString(r.Reason),
                ["message"] = Value.ForString(r.Status.Message),
                ["records"] = Value.ForNumber(r.Records),
                ["requeuedRecords"] = Value.ForNumber(r.RequeuedRecords),
            },
        })).ToArray());
        context.Output.Result(summary, () =>
        {
            context.Output.Fields(
                ("Collector", collectorId),
                ("Records read", Display.Quantity(read)),
                ("Acknowledged", Display.Quantity(statistics.RecordsAcknowledged)),
                ("Dropped", Display.Quantity(statistics.RecordsDropped)),
                ("Batches", $"{Display.Quantity(statistics.BatchesAcknowledged)} acknowledged ({Display.Quantity(statistics.BatchesDuplicate)} duplicates), {Display.Quantity(statistics.BatchesRejected)} refused"),
                ("Reconnects", Display.Quantity(statistics.Reconnects)));
            foreach (var item in stopped)
            {
                context.Output.Line($"Stopped {CliEnum.Name(item.Item)} until {item.Until:yyyy-MM-dd HH:mm:ss'Z'}: {item.Reason}");
            }
        });
        if (rejections.Length == 0)
        {
            return ExitCodes.Ok;
        }
        // One error per reason (a refusal usually repeats for every batch in flight), with its first batch.
        foreach (var group in rejections.GroupBy(r => r.Reason))
        {
            var first = group.First();
            var error = first.Status.ToRpcException().ToBillingError();
            var count = group.Count();
            context.Environment.Error.WriteLine(count == 1
                ? $"error: batch {first.Sequence} refused: {error}"
                : $"error: {count} batches refused, the first {first.Sequence}: {error}");
        }
        return ExitCodes.For((StatusCode)rejections[0].Status.Code);
    }
}
