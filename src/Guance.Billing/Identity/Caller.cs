using Guance.Billing.Common;

namespace Guance.Billing.Identity;

/// <summary>Who is calling, as established from the bearer token of the call.</summary>
public enum CallerKind
{
    Anonymous,
    User,
    Collector,
    BillingAccount,
    Operator,
}

/// <summary>The authenticated caller of one RPC.</summary>
public sealed record Caller(CallerKind Kind, string? SubjectId = null, string? TokenId = null)
{
    public static readonly Caller Anonymous = new(CallerKind.Anonymous);
    public static readonly Caller Operator = new(CallerKind.Operator);

    /// <summary>Where the call comes from (<see cref="ClientAddresses"/>), for throttling guesses.</summary>
    public string ClientAddress { get; init; } = ClientAddresses.Unknown;

    public bool IsOperator => Kind == CallerKind.Operator;

    /// <summary>The console user's id, for audit records; null for any other caller (the operator).</summary>
    public string? UserIdOrNull => Kind == CallerKind.User ? SubjectId : null;

    /// <summary>The console user, or UNAUTHENTICATED/PERMISSION_DENIED for any other caller.</summary>
    public string RequireUser()
    {
        RequireAuthenticated();
        return Kind == CallerKind.User
            ? SubjectId!
            : throw Errors.PermissionDenied(ErrorReasons.ConsoleUserRequired, "This call needs a console user token.");
    }

    /// <summary>A console user or the operator; returns the user id, or null for the operator.</summary>
    public string? RequireUserOrOperator()
    {
        RequireAuthenticated();
        return Kind switch
        {
            CallerKind.Operator => null,
            CallerKind.User => SubjectId,
            _ => throw Errors.PermissionDenied(ErrorReasons.ConsoleUserRequired, "This call needs a console user token or the operator token."),
        };
    }

    public void RequireOperator()
    {
        RequireAuthenticated();
        if (!IsOperator)
        {
            throw Errors.PermissionDenied(ErrorReasons.OperatorRequired, "This call needs the operator token.");
        }
    }

    public void RequireAuthenticated()
    {
        if (Kind == CallerKind.Anonymous)
        {
            throw Errors.Unauthenticated(ErrorReasons.TokenMissing, "Send 'authorization: Bearer <token>'.");
        }
    }
}
