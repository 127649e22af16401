using System.Net;
using Grpc.Core;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The <c>floor-host</c> verb: the least that any host pays on this machine for an agent's batch. A gRPC server on
/// Kestrel (plaintext HTTP/2, as the host's) whose StreamUsage opens every stream and acknowledges every batch at
/// once: no token, no database, no writer. <c>ingestion --agents N --floor</c> runs the same fleet against it after
/// the host, so that the host's CPU per batch is set beside what the protocol alone costs (the sockets, HTTP/2
/// framing, gRPC's message reading and writing, the thread pool's hops).
/// </summary>
internal static class FloorHost
{
    public const string Description = "the fleet's floor: a gRPC server that acknowledges every batch at once (started by ingestion --floor)";

    public static async Task<int> RunAsync(string[] args)
    {
        var port = args.Length == 2 && args[0] == "--port" && int.TryParse(args[1], out var given) ? given : throw new ArgumentException("usage: floor-host --port N");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<AcknowledgingUsageService>();
        await app.RunAsync();
        return 0;
    }

    /// <summary>Answers as the host answers a well-behaved agent, with nothing behind the answers.</summary>
    private sealed class AcknowledgingUsageService : UsageService.UsageServiceBase
    {
        public override Task<ListBillingItemsResponse> ListBillingItems(ListBillingItemsRequest request, ServerCallContext context) =>
            Task.FromResult(new ListBillingItemsResponse());

        public override async Task StreamUsage(IAsyncStreamReader<StreamUsageRequest> requests, IServerStreamWriter<StreamUsageResponse> answers, ServerCallContext context)
        {
            await foreach (var request in requests.ReadAllAsync(context.CancellationToken))
            {
                await answers.WriteAsync(request.KindCase == StreamUsageRequest.KindOneofCase.Open
                    ? new StreamUsageResponse { Opened = new UsageStreamOpened { CollectorId = request.Open.CollectorId, MaxBatchesInFlight = 8 } }
                    : new StreamUsageResponse { Ack = new UsageBatchAck { Sequence = request.Batch.Sequence } });
            }
        }
    }
}
