using Google.Protobuf;
using Grpc.Core;

namespace Guance.Billing.Console.Api;

/// <summary>Runs one call of a page: its response, or the failure as a <see cref="ConsoleError"/>.</summary>
internal static class ApiCalls
{
    /// <summary>
    /// Runs <paramref name="call"/>; when the host refuses the token of a signed-in session
    /// (<paramref name="signedIn"/>), <paramref name="onExpired"/> ends it first.
    /// </summary>
    public static async Task<ApiResult<T>> RunAsync<T>(Func<AsyncUnaryCall<T>> call, Func<bool> signedIn, Func<Task> onExpired)
    {
        try
        {
            using var pending = call();
            return new ApiResult<T>(await pending.ResponseAsync, null);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Unauthenticated && signedIn())
        {
            await onExpired();
            return new ApiResult<T>(default, ConsoleError.From(error));
        }
        catch (RpcException error)
        {
            return new ApiResult<T>(default, ConsoleError.From(error));
        }
    }

    /// <summary>Reads a server stream of chunks (an export, a document) into one byte array.</summary>
    public static async Task<ApiResult<byte[]>> ReadAllAsync<T>(Func<AsyncServerStreamingCall<T>> call, Func<T, ByteString> data, Func<bool> signedIn, Func<Task> onExpired)
    {
        try
        {
            using var pending = call();
            using var bytes = new MemoryStream();
            while (await pending.ResponseStream.MoveNext(CancellationToken.None))
            {
                data(pending.ResponseStream.Current).WriteTo(bytes);
            }
            return new ApiResult<byte[]>(bytes.ToArray(), null);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Unauthenticated && signedIn())
        {
            await onExpired();
            return new ApiResult<byte[]>(default, ConsoleError.From(error));
        }
        catch (RpcException error)
        {
            return new ApiResult<byte[]>(default, ConsoleError.From(error));
        }
    }
}
