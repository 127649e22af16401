using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.Common;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>Turns a domain failure into a google.rpc.Status: ErrorInfo plus the detail that fits.</summary>
public static class ErrorMapping
{
    public const string Domain = "billing.guance.com";

    public static RpcException ToRpcException(BillingException error) => ToStatus(error).ToRpcException();

    public static Google.Rpc.Status ToStatus(BillingException error)
    {
        var info = new ErrorInfo { Reason = error.Reason, Domain = Domain };
        info.Metadata.Add(error.Metadata);
        var status = new Google.Rpc.Status { Code = (int)ToCode(error.Kind), Message = error.Message };
        status.Details.Add(Any.Pack(info));

        if (error.FieldViolations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.Add(error.FieldViolations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }
        if (error.PreconditionViolations.Count > 0)
        {
            var failure = new PreconditionFailure();
            failure.Violations.Add(error.PreconditionViolations.Select(v => new PreconditionFailure.Types.Violation { Type = v.Type, Subject = v.Subject, Description = v.Description }));
            status.Details.Add(Any.Pack(failure));
        }
        if (error.QuotaViolations.Count > 0)
        {
            var failure = new QuotaFailure();
            failure.Violations.Add(error.QuotaViolations.Select(v => new QuotaFailure.Types.Violation { Subject = v.Subject, Description = v.Description }));
            status.Details.Add(Any.Pack(failure));
        }
        if (error.Resource is { } resource)
        {
            status.Details.Add(Any.Pack(new ResourceInfo { ResourceType = resource.Type, ResourceName = resource.Name, Description = error.Message }));
        }
        if (error.RetryAfter is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds))) }));
        }
        return status;
    }

    public static StatusCode ToCode(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        ErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        ErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        ErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        ErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        ErrorKind.Aborted => StatusCode.Aborted,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        ErrorKind.Unimplemented => StatusCode.Unimplemented,
        _ => StatusCode.Unknown,
    };

    /// <summary>INTERNAL with nothing of the exception but a correlation id to find it in the logs.</summary>
    public static RpcException Internal(string correlationId)
    {
        var info = new ErrorInfo { Reason = ErrorReasons.Internal, Domain = Domain };
        info.Metadata.Add("correlation_id", correlationId);
        var status = new Google.Rpc.Status
        {
            Code = (int)StatusCode.Internal,
            Message = $"An internal error occurred; quote correlation id {correlationId} to support.",
        };
        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }
}
