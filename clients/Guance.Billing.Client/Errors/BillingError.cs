using System.Text;
using Grpc.Core;

namespace Guance.Billing.Client;

/// <summary>One invalid field of a request (from BadRequest).</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>One broken business rule (from PreconditionFailure): its type, what it concerns, how to resolve it.</summary>
public sealed record PreconditionViolation(string Type, string Subject, string Description);

/// <summary>One exhausted quota (from QuotaFailure).</summary>
public sealed record QuotaViolation(string Subject, string Description);

/// <summary>The resource a failure is about (from ResourceInfo).</summary>
public sealed record ResourceDetail(string Type, string Name, string Owner, string Description);

/// <summary>
/// A failed call as one typed value: the status code, the message, the ErrorInfo reason and
/// metadata, and every rich detail the host attached.
/// </summary>
public sealed record BillingError(
    StatusCode Code,
    string Message,
    string? Reason,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<FieldViolation> FieldViolations,
    IReadOnlyList<PreconditionViolation> PreconditionViolations,
    IReadOnlyList<QuotaViolation> QuotaViolations,
    ResourceDetail? Resource,
    TimeSpan? RetryDelay)
{
    public static BillingError From(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var info = error.GetErrorInfo();
        var resource = error.GetResourceInfo();
        return new BillingError(
            error.StatusCode,
            error.GetRpcStatus()?.Message is { Length: > 0 } message ? message : error.Status.Detail,
            info?.Reason,
            info?.Metadata.ToDictionary(p => p.Key, p => p.Value) ?? new Dictionary<string, string>(),
            error.GetBadRequest()?.FieldViolations.Select(v => new FieldViolation(v.Field, v.Description)).ToList() ?? [],
            error.GetPreconditionFailure()?.Violations.Select(v => new PreconditionViolation(v.Type, v.Subject, v.Description)).ToList() ?? [],
            error.GetQuotaFailure()?.Violations.Select(v => new QuotaViolation(v.Subject, v.Description)).ToList() ?? [],
            resource is null ? null : new ResourceDetail(resource.ResourceType, resource.ResourceName, resource.Owner, resource.Description),
            error.GetRetryDelay());
    }

    /// <summary>
    /// The message with its reason on the first line, then one indented line per field violation,
    /// broken rule or exhausted quota, then when to retry.
    /// </summary>
    public override string ToString()
    {
        // The host's message repeats the field violations for clients that cannot decode details;
        // here they follow one per line, so the headline stays short.
        var text = new StringBuilder(FieldViolations.Count > 0 ? "The request has invalid fields" : Message);
        text.Append(" (").Append(Reason ?? Code.ToString()).Append(')');
        foreach (var v in FieldViolations)
        {
            text.Append("\n  ").Append(v.Field).Append(": ").Append(v.Description);
        }
        // A rule or quota whose description is the message already is named without it.
        foreach (var v in PreconditionViolations)
        {
            text.Append("\n  ").Append(v.Type).Append(" on ").Append(v.Subject).Append(Unless(v.Description));
        }
        foreach (var v in QuotaViolations)
        {
            text.Append("\n  quota ").Append(v.Subject).Append(Unless(v.Description));
        }
        if (RetryDelay is { } delay)
        {
            text.Append("\n  retry after ").Append(Math.Ceiling(delay.TotalSeconds)).Append('s');
        }
        return text.ToString();
    }

    private string Unless(string description) => description == Message ? "" : ": " + description;
}
