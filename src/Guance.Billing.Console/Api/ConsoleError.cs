using Grpc.Core;
using Guance.Billing.Client;

namespace Guance.Billing.Console.Api;

/// <summary>
/// A failed call in words for people: the host's message and, per field it names (BadRequest), the
/// description to show next to that field. Never a status code, a reason or a stack trace.
/// </summary>
public sealed class ConsoleError
{
    private readonly IReadOnlyList<FieldViolation> _fields;

    private ConsoleError(StatusCode code, string message, IReadOnlyList<FieldViolation> fields)
    {
        Code = code;
        Message = message;
        _fields = fields;
    }

    /// <summary>Decides what the page does (no access, not found); never shown.</summary>
    public StatusCode Code { get; }

    /// <summary>The sentence to show above the form.</summary>
    public string Message { get; }

    public IReadOnlyList<FieldViolation> FieldViolations => _fields;

    private const string Unreachable = "The billing service cannot be reached right now. Try again in a moment.";

    public static ConsoleError From(RpcException error)
    {
        var details = BillingError.From(error);
        var message = error.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled => Unreachable,
            // Every answer of the host carries an ErrorInfo: a failure without one is the browser's own (the host stopped,
            // the network dropped, a proxy answered), whose text ("Failed to fetch", a JSException) means nothing to a person.
            StatusCode.Internal or StatusCode.Unknown when details.Reason is null => Unreachable,
            _ when details.FieldViolations.Count > 0 => "Some fields need correcting: see the messages next to them.",
            _ => details.Message,
        };
        return new ConsoleError(error.StatusCode, message, details.FieldViolations);
    }

    /// <summary>A message of the console itself (for example a field it checks before calling).</summary>
    public static ConsoleError Local(string field, string description) => Local([new FieldViolation(field, description)]);

    /// <summary>Several fields the console checks before calling (for example the files picked for upload).</summary>
    public static ConsoleError Local(IReadOnlyList<FieldViolation> violations) =>
        new(StatusCode.InvalidArgument, "Some fields need correcting: see the messages next to them.", violations);

    /// <summary>
    /// The description of the violation of <paramref name="field"/> or of a field inside it
    /// (<c>threshold</c> also takes <c>threshold.units</c>); null when there is none.
    /// </summary>
    public string? For(string field)
    {
        var found = _fields.Where(v => v.Field == field || v.Field.StartsWith(field + ".", StringComparison.Ordinal)).Select(v => v.Description).ToList();
        return found.Count == 0 ? null : string.Join(" ", found);
    }

    /// <summary>The violations of fields that the form does not show, to list under the message.</summary>
    public IEnumerable<FieldViolation> Others(params string[] shownFields) =>
        _fields.Where(v => !shownFields.Any(f => v.Field == f || v.Field.StartsWith(f + ".", StringComparison.Ordinal)));
}
