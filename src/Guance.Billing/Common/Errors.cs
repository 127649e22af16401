using System.Globalization;

namespace Guance.Billing.Common;

/// <summary>Factories for the failures of the domain, so that reasons and details stay uniform.</summary>
public static class Errors
{
    /// <summary>At most this many field violations are reported; the rest are only counted.</summary>
    public const int MaxReportedViolations = 100;

    /// <summary>A caller's value is echoed into a message or metadata with at most this many characters.</summary>
    public const int MaxEchoedLength = 100;

    /// <summary>
    /// INVALID_ARGUMENT with the first <see cref="MaxReportedViolations"/> violations; how many more
    /// there were is said in the message and in the metadata entry <c>omitted_violations</c>, so that
    /// a request with thousands of bad elements gets a short answer.
    /// </summary>
    public static BillingException InvalidArgument(IEnumerable<FieldViolation> violations)
    {
        var reported = new List<FieldViolation>();
        var omitted = 0;
        foreach (var violation in violations)
        {
            if (reported.Count < MaxReportedViolations)
            {
                reported.Add(violation);
            }
            else
            {
                omitted++;
            }
        }
        // The message repeats the violations for clients that show only the message (buf curl prints
        // the details base64-encoded).
        var message = "The request has invalid fields: " + string.Join("; ", reported.Select(v => $"{v.Field} {v.Description}"))
            + (omitted > 0 ? $"; and {omitted} more not listed" : "") + ".";
        var error = new BillingException(ErrorKind.InvalidArgument, ErrorReasons.InvalidArgument, message);
        error.FieldViolations.AddRange(reported);
        if (omitted > 0)
        {
            error.With("omitted_violations", omitted.ToString(CultureInfo.InvariantCulture));
        }
        return error;
    }

    /// <summary>
    /// A request that is not a protobuf message of its type (garbage, truncated, invalid UTF-8 in a
    /// string field): nothing of it was read, so no field can be named.
    /// </summary>
    public static BillingException MalformedRequest(string messageType) =>
        new BillingException(ErrorKind.InvalidArgument, ErrorReasons.MalformedRequest,
            $"The request is not a well-formed {messageType} message: its bytes do not parse as protobuf (truncated, garbage, or a string field that is not valid UTF-8).")
            .With("message_type", messageType);

    /// <summary>
    /// A request whose gRPC message frame is broken before any protobuf is read: a compressed flag other than 0 or 1, a
    /// compressed message without <c>grpc-encoding</c>, fewer bytes than the frame's length prefix, a gzip payload that
    /// does not decompress or is cut short, bytes after a unary call's message, gRPC-Web text that is not base64.
    /// </summary>
    public static BillingException MalformedFrame(string messageType) =>
        new BillingException(ErrorKind.InvalidArgument, ErrorReasons.MalformedRequest,
            $"The request's gRPC message frame is malformed: a compressed flag other than 0 or 1, a compressed message without grpc-encoding, fewer bytes than its length prefix, a compressed payload that does not decompress or is cut short, bytes after a unary call's message, or gRPC-Web text that is not base64 (a {messageType} was expected).")
            .With("message_type", messageType);

    /// <summary>
    /// UNIMPLEMENTED, as gRPC's compression spec asks: a request message compressed with <paramref name="encoding"/>, which
    /// the host does not take (only gzip, <see cref="SupportedEncodings"/>).
    /// </summary>
    public static BillingException EncodingNotSupported(string encoding, string messageType) =>
        new BillingException(ErrorKind.Unimplemented, ErrorReasons.EncodingNotSupported,
                $"The request message is compressed with grpc-encoding '{Printable(encoding)}', which this host does not take: send it uncompressed or with gzip (a {messageType} was expected).")
            .With("message_type", messageType)
            .With("supported", SupportedEncodings);

    /// <summary>
    /// INVALID_ARGUMENT: a request to an RPC's path that is not gRPC: another Content-Type or none (a JSON body, a form),
    /// gRPC-Web on the gRPC endpoint, or gRPC over HTTP/1.1. grpc-dotnet answers these INTERNAL, which says "our fault".
    /// </summary>
    public static BillingException NotGrpc(string? contentType, bool http2, bool browserEndpoint)
    {
        var what = string.IsNullOrEmpty(contentType) ? "The request has no Content-Type" : $"The request's Content-Type is '{Printable(contentType)}'";
        var instead = browserEndpoint
            ? "this endpoint takes gRPC-Web only (application/grpc-web or application/grpc-web-text); gRPC goes to the gRPC endpoint"
            : "this endpoint takes gRPC: application/grpc over HTTP/2 (gRPC-Web goes to the browser endpoint)";
        var message = contentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true && !http2
            ? $"{what}, over HTTP/1.1: gRPC needs HTTP/2; {instead}."
            : $"{what}: {instead}.";
        return new BillingException(ErrorKind.InvalidArgument, ErrorReasons.NotGrpc, message)
            .With("content_type", Printable(contentType ?? ""));
    }

    /// <summary>The grpc-encoding values that the host takes for a request message.</summary>
    public const string SupportedEncodings = "identity,gzip";

    // A header's value as the caller sent it, cut short: headers are bounded (HEADER_TOO_LARGE) but may still be long.
    private static string Printable(string header) => header.Length <= 32 ? header : header[..32] + "…";

    /// <summary>
    /// RESOURCE_EXHAUSTED: a request message longer than the method takes, as sent or once decompressed (grpc-dotnet's own
    /// answer carries no ErrorInfo). <paramref name="maxBytes"/> is the method's limit where the refusal knows it.
    /// </summary>
    public static BillingException RequestTooLarge(string messageType, int? maxBytes)
    {
        var limit = maxBytes is { } max ? string.Create(CultureInfo.InvariantCulture, $" of {max:N0} bytes") : "";
        var error = new BillingException(ErrorKind.ResourceExhausted, ErrorReasons.RequestTooLarge,
                $"The request message is larger than the method's limit{limit} (a {messageType}); send less in one message.")
            .With("message_type", messageType);
        return maxBytes is { } bytes ? error.With("max_bytes", bytes.ToString(CultureInfo.InvariantCulture)) : error;
    }

    /// <summary>An instant as errors give it, in metadata and messages: RFC 3339 in UTC, with a fraction of a second only when it has one.</summary>
    public static string Instant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>An instant for a person of a site: its local time as notices write it, then the instant (<c>2026-12-08 00:00 (UTC+08:00), 2026-12-07T16:00:00Z</c>).</summary>
    public static string SiteTime(Workspaces.Site site, DateTimeOffset at) =>
        $"{Notifications.NotificationTexts.Time(at, site.TimeZone)}, {Instant(at)}";

    /// <summary>A caller's value as it may be echoed in a message or metadata: cut to <see cref="MaxEchoedLength"/> characters with an ellipsis.</summary>
    public static string Echo(string value) =>
        value.Length <= MaxEchoedLength ? value : string.Concat(value.AsSpan(0, MaxEchoedLength), "…");

    public static BillingException InvalidArgument(string field, string description) =>
        InvalidArgument([new FieldViolation(field, description)]);

    public static BillingException NotFound(string resourceType, string name)
    {
        var echoed = Echo(name);
        return new BillingException(ErrorKind.NotFound, NotFoundReason(resourceType), $"{resourceType} '{echoed}' was not found.")
        {
            Resource = new ResourceRef(resourceType, echoed),
        }.With(ToMetadataKey(resourceType), echoed);
    }

    /// <summary>The reason of <see cref="NotFound"/> for a <see cref="ResourceTypes"/> type: <c>&lt;TYPE&gt;_NOT_FOUND</c>, listed in <see cref="ErrorReasons"/>.</summary>
    public static string NotFoundReason(string resourceType) => $"{ToReason(resourceType)}_NOT_FOUND";

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
