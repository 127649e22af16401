namespace Guance.Billing.Common;

/// <summary>
/// A failure the caller can act on. The host turns it into a google.rpc.Status with an ErrorInfo
/// (the reason) and the detail that fits; nothing else of the exception leaves the process.
/// </summary>
public sealed class BillingException : Exception
{
    public BillingException(ErrorKind kind, string reason, string message) : base(message)
    {
        Kind = kind;
        Reason = reason;
    }

    public ErrorKind Kind { get; }

    /// <summary>UPPER_SNAKE_CASE reason, stable for programs to switch on.</summary>
    public string Reason { get; }

    public Dictionary<string, string> Metadata { get; } = new();
    public List<FieldViolation> FieldViolations { get; } = new();
    public List<PreconditionViolation> PreconditionViolations { get; } = new();
    public List<QuotaViolation> QuotaViolations { get; } = new();
    public ResourceRef? Resource { get; init; }

    /// <summary>When set, the caller may retry after this delay (RetryInfo).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public BillingException With(string key, string value)
    {
        Metadata[key] = value;
        return this;
    }
}
