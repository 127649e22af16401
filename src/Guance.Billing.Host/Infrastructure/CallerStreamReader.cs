using Grpc.Core;
using Guance.Billing.Common;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// A call's request stream whose transport failures say so: reading a request stream fails with an
/// <see cref="IOException"/> only when the caller's HTTP/2 stream or connection broke (Kestrel fails
/// the read with "the client reset the request stream" before it cancels the call's token, and the
/// exception's source differs by where the pipe rethrows it). The reader turns that into
/// <see cref="CallerGoneException"/>, so that <see cref="ErrorInterceptor"/> tells it from a fault; a broken
/// message frame becomes INVALID_ARGUMENT MALFORMED_REQUEST (<see cref="Errors.MalformedFrame"/>) and a message above the
/// limit RESOURCE_EXHAUSTED REQUEST_TOO_LARGE, and a compression other than gzip UNIMPLEMENTED ENCODING_NOT_SUPPORTED,
/// as they are on a unary call (<see cref="MalformedFrameMiddleware"/>).
/// </summary>
public sealed class CallerStreamReader<T>(IAsyncStreamReader<T> inner, ServerCallContext call) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        try
        {
            return await inner.MoveNext(cancellationToken);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException) && e.Message.StartsWith("Message too large", StringComparison.Ordinal))
        {
            // grpc-dotnet's own refusal of a length prefix past 2^31 - 1, which it reads as a signed length.
            throw ErrorMapping.ToRpcException(Errors.RequestTooLarge(MessageType, null));
        }
        catch (IOException e)
        {
            throw new CallerGoneException(e);
        }
        catch (Exception e) when (e is InvalidDataException || (e is RpcException { StatusCode: StatusCode.Internal } && !cancellationToken.IsCancellationRequested))
        {
            // grpc-dotnet's frame reader: a compressed flag other than 0 or 1, a gzip payload that does not decompress or
            // is cut short (InvalidDataException), a compressed message without grpc-encoding or one cut short (its own INTERNAL).
            throw ErrorMapping.ToRpcException(Errors.MalformedFrame(MessageType));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented && !cancellationToken.IsCancellationRequested)
        {
            // grpc-dotnet's refusal of a grpc-encoding it has no provider for (WholeGzip.Provider is the one), without ErrorInfo.
            // grpc-dotnet leaves grpc-encoding out of the call's RequestHeaders.
            throw ErrorMapping.ToRpcException(Errors.EncodingNotSupported(call.GetHttpContext().Request.Headers["grpc-encoding"].ToString(), MessageType));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && !cancellationToken.IsCancellationRequested)
        {
            // grpc-dotnet's refusal of a message above the receive limit, which carries no ErrorInfo.
            throw ErrorMapping.ToRpcException(Errors.RequestTooLarge(MessageType, null));
        }
    }

    private static string MessageType { get; } = ProtobufMessageNames.Of(typeof(T));
}

/// <summary>The caller's side of a call broke while the host was reading what it sent.</summary>
public sealed class CallerGoneException(Exception transportFailure)
    : Exception("The caller's stream broke while its messages were being read.", transportFailure);
