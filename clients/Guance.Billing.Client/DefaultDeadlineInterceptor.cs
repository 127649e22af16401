using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Guance.Billing.Client;

/// <summary>
/// Gives a unary call without a deadline the default one, so that no call waits for ever on a host
/// that does not answer. Streaming calls are left alone: they live as long as their caller wants.
/// </summary>
public sealed class DefaultDeadlineInterceptor(TimeSpan deadline, TimeProvider? clock = null) : Interceptor
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public TimeSpan Deadline => deadline;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDeadline(context));

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDeadline(context));

    private ClientInterceptorContext<TRequest, TResponse> WithDeadline<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        if (context.Options.Deadline is not null)
        {
            return context;
        }
        var options = context.Options.WithDeadline(_clock.GetUtcNow().UtcDateTime + deadline);
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, options);
    }
}
