namespace Guance.Billing.Common;

/// <summary>The canonical kind of a failure; the host maps each to its gRPC status code.</summary>
public enum ErrorKind
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    Unauthenticated,
    FailedPrecondition,
    ResourceExhausted,
    Aborted,
    Unavailable,
    Unimplemented,
}
