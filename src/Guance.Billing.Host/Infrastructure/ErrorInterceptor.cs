using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.AspNetCore.Connections;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// The outermost interceptor: domain failures become rich statuses; anything unexpected is logged
/// with a correlation id and becomes INTERNAL carrying only that id. No exception text, stack trace
/// or SQL reaches a caller.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(new CallerStreamReader<TRequest>(requestStream, context), context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(new CallerStreamReader<TRequest>(requestStream, context), responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    private RpcException Translate(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case BillingException billing:
                return ErrorMapping.ToRpcException(billing);
            case Exception when context.CancellationToken.IsCancellationRequested || ConnectionLost(exception):
                // The caller went away (cancelled, deadline passed, connection closed): whatever
                // failed after that is not a fault of the host.
                logger.LogDebug(exception, "{Method} ended after its caller went away", context.Method);
                return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
            case Exception e when DbErrors.IsConcurrencyConflict(e):
                return ErrorMapping.ToRpcException(Errors.Aborted(ErrorReasons.ConcurrentUpdate, "A concurrent change won; read again and retry."));
            case Exception e when DbErrors.IsUnavailable(e):
                logger.LogWarning(e, "The database is unavailable in {Method}", context.Method);
                return ErrorMapping.ToRpcException(Errors.Unavailable(ErrorReasons.DatabaseUnavailable, "The database cannot be reached right now; retry shortly.", TimeSpan.FromSeconds(1)));
        }
        var correlationId = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        logger.LogError(exception, "Unexpected failure in {Method} (correlation id {CorrelationId})", context.Method, correlationId);
        return ErrorMapping.Internal(correlationId);
    }

    /// <summary>
    /// Whether the connection under the call failed. When a client's connection faults, Kestrel fails
    /// the call's stream reads and writes with a <see cref="ConnectionAbortedException"/> at once but
    /// cancels the call's token afterwards, on the thread pool: the exception can arrive before the
    /// token says that the caller went away (seen when agents' connections broke mid-stream in the
    /// multi-host tests). A reset stream fails the reads with an IOException, which
    /// <see cref="CallerStreamReader{T}"/> turns into <see cref="CallerGoneException"/>.
    /// </summary>
    private static bool ConnectionLost(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ConnectionAbortedException or CallerGoneException)
            {
                return true;
            }
        }
        return false;
    }
}
