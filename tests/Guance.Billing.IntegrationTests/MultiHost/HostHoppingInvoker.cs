using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// What a collector sees behind a load balancer whose connections break: every stream it opens goes
/// to the other host than its last one, over a connection of its own, and is cut after a random time
/// (at any point of the protocol: before the open, between batches, with batches in flight), either by
/// closing the whole connection or by resetting just the stream. It serves streams only (what the uploader opens).
/// </summary>
public sealed class HostHoppingInvoker(IReadOnlyList<Uri> hosts, string token, Random random, TimeSpan minLife, TimeSpan maxLife) : CallInvoker
{
    private readonly Lock _gate = new();
    private int _current = random.Next(hosts.Count);
    private readonly int[] _streamsPerHost = new int[hosts.Count];

    /// <summary>How many streams were opened on each host.</summary>
    public IReadOnlyList<int> StreamsPerHost
    {
        get
        {
            lock (_gate)
            {
                return _streamsPerHost.ToArray();
            }
        }
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        int target;
        TimeSpan life;
        bool closeConnection;
        lock (_gate)
        {
            _current = (_current + 1) % hosts.Count;
            target = _current;
            _streamsPerHost[target]++;
            life = minLife + (maxLife - minLife) * random.NextDouble();
            closeConnection = random.Next(2) == 0;
        }
        var channel = GrpcChannel.ForAddress(hosts[target]);
        var cut = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        var call = Invoker(channel).AsyncDuplexStreamingCall(method, host, options.WithCancellationToken(cut.Token));
        _ = Task.Delay(life).ContinueWith(_ =>
        {
            try
            {
                if (closeConnection)
                {
                    channel.Dispose();
                }
                else
                {
                    cut.Cancel();
                }
            }
            catch (ObjectDisposedException)
            {
                // The stream had ended already.
            }
        }, TaskScheduler.Default);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(call.RequestStream, call.ResponseStream, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, () =>
        {
            call.Dispose();
            channel.Dispose();
            cut.Dispose();
        });
    }

    // The uploader only streams.
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private CallInvoker Invoker(GrpcChannel channel) =>
        channel.CreateCallInvoker().Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return metadata;
        });
}
