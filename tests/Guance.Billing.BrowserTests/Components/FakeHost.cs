using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.Console.Api;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// The host as the pages see it, for component tests: canned answers per RPC (by "Service/Method"),
/// every call recorded with the token it carried, and failures with the host's rich details.
/// </summary>
public sealed class FakeHost : ConsoleConnection
{
    private readonly Dictionary<string, Func<object, object>> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<object, IEnumerable<object>>> _streams = new(StringComparer.Ordinal);

    public List<(string Method, IMessage Request, string? Token)> Calls { get; } = new();

    /// <summary>Answers <paramref name="method"/> (for example "SettlementService/GetBillingOverview") with <paramref name="answer"/>; it may throw an RpcException.</summary>
    public FakeHost On<TRequest, TResponse>(string method, Func<TRequest, TResponse> answer)
    {
        _answers[method] = request => answer((TRequest)request)!;
        return this;
    }

    /// <summary>Answers <paramref name="method"/> when <paramref name="answer"/>'s task completes: a call still under way.</summary>
    public FakeHost OnAsync<TRequest, TResponse>(string method, Func<TRequest, Task<TResponse>> answer)
    {
        _answers[method] = request => answer((TRequest)request);
        return this;
    }

    /// <summary>Answers the server-streaming <paramref name="method"/> with the messages of <paramref name="answer"/>; it may throw an RpcException.</summary>
    public FakeHost OnStream<TRequest, TResponse>(string method, Func<TRequest, IEnumerable<TResponse>> answer)
    {
        _streams[method] = request => answer((TRequest)request).Cast<object>().ToList();
        return this;
    }

    public IEnumerable<TRequest> CallsOf<TRequest>(string method) =>
        Calls.Where(c => c.Method == method).Select(c => (TRequest)c.Request);

    public override CallInvoker Invoker(string? token) => new RecordingInvoker(this, token);

    /// <summary>INVALID_ARGUMENT with one BadRequest violation per field, as the host sends it.</summary>
    public static RpcException BadRequest(params (string Field, string Description)[] violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return Failure(StatusCode.InvalidArgument, "INVALID_FIELD", "The request has invalid fields.", Any.Pack(badRequest));
    }

    public static RpcException Failure(StatusCode code, string reason, string message, params Any[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = "billing.guance.com" }));
        status.Details.AddRange(details);
        return status.ToRpcException();
    }

    private sealed class RecordingInvoker(FakeHost host, string? token) : CallInvoker
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host1, CallOptions options, TRequest request)
        {
            var name = method.ServiceName[(method.ServiceName.LastIndexOf('.') + 1)..] + "/" + method.Name;
            host.Calls.Add((name, (IMessage)request, token));
            Task<TResponse> response;
            try
            {
                var answered = host._answers.TryGetValue(name, out var answer)
                    ? answer(request)
                    : throw Failure(StatusCode.Unimplemented, "NOT_FAKED", $"{name} is not faked in this test.");
                response = answered as Task<TResponse> ?? Task.FromResult((TResponse)answered);
            }
            catch (RpcException error)
            {
                response = Task.FromException<TResponse>(error);
            }
            return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Grpc.Core.Status.DefaultSuccess, () => new Metadata(), () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host1, CallOptions options, TRequest request) =>
            throw new NotSupportedException("The console makes no blocking calls.");

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host1, CallOptions options, TRequest request)
        {
            var name = method.ServiceName[(method.ServiceName.LastIndexOf('.') + 1)..] + "/" + method.Name;
            host.Calls.Add((name, (IMessage)request, token));
            IEnumerable<TResponse> messages;
            RpcException? failure = null;
            try
            {
                messages = host._streams.TryGetValue(name, out var answer)
                    ? answer(request).Cast<TResponse>().ToList()
                    : throw Failure(StatusCode.Unimplemented, "NOT_FAKED", $"{name} is not faked in this test.");
            }
            catch (RpcException error)
            {
                (messages, failure) = ([], error);
            }
            return new AsyncServerStreamingCall<TResponse>(new Reader<TResponse>(messages, failure), Task.FromResult(new Metadata()), () => Grpc.Core.Status.DefaultSuccess, () => new Metadata(), () => { });
        }

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host1, CallOptions options) =>
            throw new NotSupportedException("The console makes no streaming calls.");

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host1, CallOptions options) =>
            throw new NotSupportedException("The console makes no streaming calls.");
    }

    /// <summary>The messages of a faked stream, then its failure if any.</summary>
    private sealed class Reader<T>(IEnumerable<T> messages, RpcException? failure) : IAsyncStreamReader<T>
    {
        private readonly IEnumerator<T> _messages = messages.GetEnumerator();

        public T Current => _messages.Current;

        public Task<bool> MoveNext(CancellationToken cancellationToken) =>
            _messages.MoveNext() ? Task.FromResult(true) : failure is null ? Task.FromResult(false) : Task.FromException<bool>(failure);
    }
}
