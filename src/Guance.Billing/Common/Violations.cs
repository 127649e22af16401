namespace Guance.Billing.Common;

/// <summary>One bad field of a request, named by its proto field path (snake_case).</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>One broken business rule: its type, the subject it concerns, and what is wrong.</summary>
public sealed record PreconditionViolation(string Type, string Subject, string Description);

/// <summary>One exhausted quota: the subject (for example a billing item) and why.</summary>
public sealed record QuotaViolation(string Subject, string Description);

/// <summary>The resource that a NOT_FOUND or ALREADY_EXISTS error is about.</summary>
public sealed record ResourceRef(string Type, string Name);
