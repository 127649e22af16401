using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace Guance.Billing.Client;

/// <summary>
/// Reads the rich details of a failed call (the google.rpc.Status in grpc-status-details-bin) as
/// typed values. Each returns null when the failure does not carry that detail.
/// </summary>
public static class RpcErrorDetails
{
    /// <summary>The domain of every reason this API returns.</summary>
    public const string Domain = "billing.guance.com";

    /// <summary>The detail of type <typeparamref name="T"/>, or null.</summary>
    public static T? GetDetail<T>(this RpcException error) where T : class, IMessage<T>, new() =>
        error.GetRpcStatus()?.GetDetail<T>();

    /// <summary>The reason, the domain and the values involved; every failure of the host carries one.</summary>
    public static ErrorInfo? GetErrorInfo(this RpcException error) => error.GetDetail<ErrorInfo>();

    /// <summary>The stable UPPER_SNAKE_CASE reason, for example <c>WORKSPACE_DISSOLVED</c>, or null.</summary>
    public static string? GetReason(this RpcException error) => error.GetErrorInfo()?.Reason;

    /// <summary>INVALID_ARGUMENT: one violation per bad field.</summary>
    public static BadRequest? GetBadRequest(this RpcException error) => error.GetDetail<BadRequest>();

    /// <summary>FAILED_PRECONDITION: the business rules the request broke.</summary>
    public static PreconditionFailure? GetPreconditionFailure(this RpcException error) => error.GetDetail<PreconditionFailure>();

    /// <summary>RESOURCE_EXHAUSTED: the quota that is used up.</summary>
    public static QuotaFailure? GetQuotaFailure(this RpcException error) => error.GetDetail<QuotaFailure>();

    /// <summary>NOT_FOUND, ALREADY_EXISTS: the resource concerned.</summary>
    public static ResourceInfo? GetResourceInfo(this RpcException error) => error.GetDetail<ResourceInfo>();

    /// <summary>Throttled: when to try again.</summary>
    public static RetryInfo? GetRetryInfo(this RpcException error) => error.GetDetail<RetryInfo>();

    /// <summary>How long to wait before trying again, when the host said so.</summary>
    public static TimeSpan? GetRetryDelay(this RpcException error) => error.GetRetryInfo()?.RetryDelay?.ToTimeSpan();

    /// <summary>Everything the failure says, as one value.</summary>
    public static BillingError ToBillingError(this RpcException error) => BillingError.From(error);
}
