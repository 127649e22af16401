using Google.Rpc;
using Grpc.Core;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>Assertions on failed calls: the status code, the ErrorInfo reason and the rich details.</summary>
public static class RpcAssert
{
    public static async Task<RpcException> Fails(StatusCode code, Func<Task> call, string? reason = null)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"Expected {code} but got {error.StatusCode}: {error.Status.Detail}");
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        var info = status.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal("billing.guance.com", info.Domain);
        if (reason is not null)
        {
            Assert.Equal(reason, info.Reason);
        }
        return error;
    }

    public static Task<RpcException> Fails<T>(StatusCode code, Func<AsyncUnaryCall<T>> call, string? reason = null) =>
        Fails(code, async () => await call(), reason);

    /// <summary>INVALID_ARGUMENT whose BadRequest names exactly these fields.</summary>
    public static async Task<BadRequest> InvalidFields<T>(Func<AsyncUnaryCall<T>> call, params string[] fields)
    {
        var error = await Fails(StatusCode.InvalidArgument, call, "INVALID_ARGUMENT");
        var badRequest = error.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(fields.Order(), badRequest.FieldViolations.Select(v => v.Field).Order());
        Assert.All(badRequest.FieldViolations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
        return badRequest;
    }

    public static Task<RpcException> NotFound<T>(Func<AsyncUnaryCall<T>> call) => Fails(StatusCode.NotFound, call);

    public static Task<RpcException> Denied<T>(Func<AsyncUnaryCall<T>> call) => Fails(StatusCode.PermissionDenied, call);

    /// <summary>FAILED_PRECONDITION with a PreconditionFailure of this type.</summary>
    public static async Task<PreconditionFailure> Precondition<T>(Func<AsyncUnaryCall<T>> call, string reason)
    {
        var error = await Fails(StatusCode.FailedPrecondition, call, reason);
        var failure = error.GetRpcStatus()!.GetDetail<PreconditionFailure>();
        Assert.NotNull(failure);
        Assert.Contains(failure.Violations, v => v.Type == reason);
        return failure;
    }
}
