using Grpc.Core;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>The exit codes scripts can rely on; docs/clients.md lists them.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Any other failure: an internal error of the host, a local file that cannot be read.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>The host refused a field of the request (INVALID_ARGUMENT, OUT_OF_RANGE).</summary>
    public const int InvalidArgument = 3;

    /// <summary>The resource does not exist, or the caller may not see it (NOT_FOUND).</summary>
    public const int NotFound = 4;

    /// <summary>No valid token, or the token may not do this (UNAUTHENTICATED, PERMISSION_DENIED).</summary>
    public const int Denied = 5;

    /// <summary>A business rule forbids it now (FAILED_PRECONDITION).</summary>
    public const int FailedPrecondition = 6;

    /// <summary>It exists already, or a concurrent change won (ALREADY_EXISTS, ABORTED).</summary>
    public const int Conflict = 7;

    /// <summary>A quota is used up or the caller is throttled (RESOURCE_EXHAUSTED); the retry delay is printed.</summary>
    public const int Exhausted = 8;

    /// <summary>The host could not be reached or did not answer in time (UNAVAILABLE, DEADLINE_EXCEEDED): try again later.</summary>
    public const int Unavailable = 9;

    /// <summary>A check ran and found problems (wallet verify-ledger).</summary>
    public const int CheckFailed = 10;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    public static int For(StatusCode code) => code switch
    {
        StatusCode.OK => Ok,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => InvalidArgument,
        StatusCode.NotFound => NotFound,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => Denied,
        StatusCode.FailedPrecondition => FailedPrecondition,
        StatusCode.AlreadyExists or StatusCode.Aborted => Conflict,
        StatusCode.ResourceExhausted => Exhausted,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unavailable,
        StatusCode.Cancelled => Cancelled,
        _ => Failure,
    };
}
