using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Guance.Billing.Common;
using Guance.Billing.Host.Mapping;
using Microsoft.Extensions.DependencyInjection.Extensions;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// Binds each gRPC service's methods as grpc-dotnet's own provider does (from the generated static
/// <c>BindService</c>), but with a request marshaller that answers a message which does not parse
/// (garbage, truncated, a string field that is not UTF-8) with INVALID_ARGUMENT MALFORMED_REQUEST.
/// grpc-dotnet reads a request before any interceptor runs, so <see cref="ErrorInterceptor"/> never
/// sees that failure: unary and server-streaming calls answered UNKNOWN, and a stream read failed
/// with an IOException that looked like a broken connection. A thrown RpcException's status and
/// trailers are sent as they are, on every kind of call. The same marshaller bounds the request's
/// strings (<see cref="RequestStringBounds"/>), and reads StreamUsage's batches with <see cref="UsageBatchDecoder"/>.
/// </summary>
public sealed class MalformedRequestMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        // The generated base class carries the attribute; BindService takes an instance of that base.
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                var bindService = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static,
                    [typeof(ServiceBinderBase), type]);
                bindService?.Invoke(null, [new Binder(context), null]);
                return;
            }
        }
        // A service without generated binding code (none here) is left unbound, as grpc-dotnet's provider does.
    }

    /// <summary>Receives the generated methods and adds them to the endpoint model with guarded request marshallers.</summary>
    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Invoker<Grpc.AspNetCore.Server.Model.UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Invoker<Grpc.AspNetCore.Server.Model.ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Invoker<Grpc.AspNetCore.Server.Model.ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Invoker<Grpc.AspNetCore.Server.Model.DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Guarded(method), metadata, invoker);
        }

        /// <summary>
        /// The service's method as an open delegate taking the service instance, with the attributes of the
        /// service and the method as endpoint metadata (as grpc-dotnet's binder gives them). A method the
        /// service does not override is the generated one, which answers UNIMPLEMENTED after the request is read.
        /// </summary>
        private static (TDelegate Invoker, List<object> Metadata) Invoker<TDelegate>(string name, params Type[] parameters) where TDelegate : Delegate
        {
            var method = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {name}.");
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(method.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return (method.CreateDelegate<TDelegate>(), metadata);
        }
    }

    private static Method<TRequest, TResponse> Guarded<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var inner = method.RequestMarshaller;
        var messageType = ProtobufMessageNames.Of(typeof(TRequest));
        // StreamUsage's batches are read without an object per record where the message is plainly encoded (UsageBatchDecoder).
        Func<DeserializationContext, TRequest?>? decode = typeof(TRequest) == typeof(V1.StreamUsageRequest)
            ? payload => (TRequest?)(object?)UsageBatchDecoder.TryDecode(payload.PayloadAsReadOnlySequence())
            : null;
        var marshaller = new Marshaller<TRequest>(inner.ContextualSerializer, context =>
        {
            TRequest request;
            try
            {
                request = decode?.Invoke(context) ?? inner.ContextualDeserializer(context);
            }
            catch (Exception e) when (e is not RpcException)
            {
                // Nothing of the parser's text goes to the caller: it names offsets and internals, not fields.
                throw ErrorMapping.ToRpcException(Errors.MalformedRequest(messageType));
            }
            try
            {
                if (request is IMessage message)
                {
                    RequestStringBounds.Check(message);
                }
            }
            catch (BillingException e)
            {
                throw ErrorMapping.ToRpcException(e);
            }
            return request;
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }
}

public static class MalformedRequestSetup
{
    /// <summary>
    /// Puts <see cref="MalformedRequestMethodProvider{TService}"/> in the place of grpc-dotnet's default
    /// method provider. Call it after every <c>AddGrpc*</c>, which would add the default one again.
    /// </summary>
    public static IServiceCollection AddMalformedRequestAnswers(this IServiceCollection services)
    {
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(MalformedRequestMethodProvider<>));
        return services;
    }
}
