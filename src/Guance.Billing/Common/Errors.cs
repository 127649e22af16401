namespace Guance.Billing.Common;

/// <summary>Factories for the failures of the domain, so that reasons and details stay uniform.</summary>
public static class Errors
{
    public static BillingException InvalidArgument(IEnumerable<FieldViolation> violations)
    {
        var list = violations.ToList();
        // The message repeats the violations for clients that show only the message (buf curl prints
        // the details base64-encoded).
        var message = "The request has invalid fields: " + string.Join("; ", list.Select(v => $"{v.Field} {v.Description}")) + ".";
        var error = new BillingException(ErrorKind.InvalidArgument, "INVALID_ARGUMENT", message);
        error.FieldViolations.AddRange(list);
        return error;
    }

    public static BillingException InvalidArgument(string field, string description) =>
        InvalidArgument([new FieldViolation(field, description)]);

    public static BillingException NotFound(string resourceType, string name) =>
        new BillingException(ErrorKind.NotFound, $"{ToReason(resourceType)}_NOT_FOUND", $"{resourceType} '{name}' was not found.")
        {
            Resource = new ResourceRef(resourceType, name),
        }.With(ToMetadataKey(resourceType), name);

    public static BillingException AlreadyExists(string reason, string resourceType, string name, string message) =>
        new BillingException(ErrorKind.AlreadyExists, reason, message)
        {
            Resource = new ResourceRef(resourceType, name),
        };

    public static BillingException PermissionDenied(string reason, string message) =>
        new(ErrorKind.PermissionDenied, reason, message);

    public static BillingException Unauthenticated(string reason, string message) =>
        new(ErrorKind.Unauthenticated, reason, message);

    public static BillingException Precondition(string reason, string subject, string description)
    {
        var error = new BillingException(ErrorKind.FailedPrecondition, reason, description);
        error.PreconditionViolations.Add(new PreconditionViolation(reason, subject, description));
        return error;
    }

    public static BillingException QuotaExhausted(string reason, string subject, string description)
    {
        var error = new BillingException(ErrorKind.ResourceExhausted, reason, description);
        error.QuotaViolations.Add(new QuotaViolation(subject, description));
        return error;
    }

    public static BillingException Throttled(string reason, string message, TimeSpan retryAfter) =>
        new(ErrorKind.ResourceExhausted, reason, message) { RetryAfter = retryAfter };

    public static BillingException Aborted(string reason, string message) =>
        new(ErrorKind.Aborted, reason, message);

    public static BillingException Unavailable(string reason, string message, TimeSpan retryAfter) =>
        new(ErrorKind.Unavailable, reason, message) { RetryAfter = retryAfter };

    private static string ToReason(string resourceType) =>
        string.Concat(resourceType.Select(c => char.IsWhiteSpace(c) ? '_' : char.ToUpperInvariant(c)));

    private static string ToMetadataKey(string resourceType) =>
        string.Concat(resourceType.Select(c => char.IsWhiteSpace(c) ? '_' : char.ToLowerInvariant(c))) + "_id";
}
