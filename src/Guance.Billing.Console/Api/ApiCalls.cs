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
}
