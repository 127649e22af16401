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
/// The <c>floor-host</c> verb: the least that any host pays on this machine for an agent's batch or an operator's
/// charge. A gRPC server on Kestrel (plaintext HTTP/2, as the host's) whose StreamUsage opens every stream and
/// acknowledges every batch at once, and whose Charge answers with a result and a wallet of the host's shape at once:
/// no token, no database, no writer. <c>ingestion --agents N --floor</c> and <c>charges --floor</c> run the same calls
/// against it after the host, so that the host's CPU per batch or charge is set beside what the protocol alone costs
/// (the sockets, HTTP/2 framing, gRPC's message reading and writing, the thread pool's hops).
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
        app.MapGrpcService<AnsweringChargeService>();
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

    /// <summary>Answers a charge as the host answers one paid in cash, with nothing behind the answer.</summary>
    private sealed class AnsweringChargeService : BillingAccountService.BillingAccountServiceBase
    {
        public override Task<ChargeResponse> Charge(ChargeRequest request, ServerCallContext context)
        {
            var total = new Money { CurrencyCode = "CNY", Units = 3, Nanos = 450_000_000 };
            var result = new ChargeResult
            {
                TransactionId = "txn_01kb0000000000000000000000", Reference = request.Reference, Total = total,
                AddedArrears = new Money { CurrencyCode = "CNY" }, CloudAmount = new Money { CurrencyCode = "CNY" },
                CreateTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            };
            result.Allocations.Add(request.Lines.Select(l => new ChargeAllocation { ItemCode = l.ItemCode, Source = FundingSource.Cash, Amount = l.Amount }));
            var wallet = new Wallet
            {
                BillingAccountId = request.BillingAccountId, Cash = new Money { CurrencyCode = "CNY", Units = 999_000 },
                OrdinaryVouchers = new Money { CurrencyCode = "CNY" }, FullReductionVouchers = new Money { CurrencyCode = "CNY" },
                PrepaidCards = new Money { CurrencyCode = "CNY" }, Arrears = new Money { CurrencyCode = "CNY" }, Available = new Money { CurrencyCode = "CNY", Units = 999_000 },
            };
            return Task.FromResult(new ChargeResponse { Result = result, Wallet = wallet });
        }
    }
}
