using Guance.Billing.Common;

namespace Guance.Billing.Wallets;

/// <summary>Request ids and references that make money requests idempotent.</summary>
public static class RequestKeys
{
    public const int MaxLength = 128;

    /// <summary>1 to 128 characters, no spaces or control characters.</summary>
    public static RequestValidator RequestKey(this RequestValidator validator, string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return validator.Check(false, field, "is required: a unique id of this request, for example a UUID");
        }
        return validator.Check(value.Length <= MaxLength && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)), field,
            $"must be 1 to {MaxLength} characters without spaces");
    }
}
