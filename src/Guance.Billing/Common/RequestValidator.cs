using System.Net.Mail;

namespace Guance.Billing.Common;

/// <summary>
/// Collects every bad field of a request before anything changes, so that the caller sees all of
/// them at once; <see cref="ThrowIfInvalid"/> raises INVALID_ARGUMENT with one violation per field.
/// </summary>
public sealed class RequestValidator
{
    private readonly List<FieldViolation> _violations = new();

    public bool IsValid => _violations.Count == 0;

    public RequestValidator Check(bool valid, string field, string description)
    {
        if (!valid && _violations.All(v => v.Field != field))
        {
            _violations.Add(new FieldViolation(field, description));
        }
        return this;
    }

    public RequestValidator Required(string? value, string field) =>
        Check(!string.IsNullOrWhiteSpace(value), field, "is required");

    public RequestValidator Text(string? value, string field, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Check(false, field, "is required") : this;
        }
        Check(value.Length <= maxLength, field, $"must be at most {maxLength} characters");
        return Check(!value.Any(char.IsControl), field, "must not contain control characters");
    }

    public RequestValidator Email(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Check(false, field, "is required");
        }
        return Check(IsEmail(value), field, "must be an e-mail address such as name@example.com");
    }

    public RequestValidator Id(string? value, string field, string prefix)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Check(false, field, "is required");
        }
        return Check(Ids.IsWellFormed(value, prefix), field, $"must be an id of the form {prefix}_...");
    }

    public RequestValidator PageSize(int pageSize, string field = "page_size") =>
        Check(pageSize is >= 0 and <= Paging.MaxPageSize, field, $"must be between 0 and {Paging.MaxPageSize}");

    /// <summary>A page token of <paramref name="list"/>; <paramref name="after"/> is the last key of the previous page.</summary>
    public RequestValidator PageToken(string? token, string list, out string? after, string field = "page_token") =>
        Check(Paging.TryDecode(token, list, out after), field, Paging.InvalidTokenDescription);

    /// <summary>Checks page_size and page_token of a list request together, and gives the page they ask for.</summary>
    public RequestValidator Page(int pageSize, string? pageToken, string list, out PageRequest page)
    {
        PageSize(pageSize).PageToken(pageToken, list, out var after);
        page = new PageRequest(list, Paging.Size(pageSize), after);
        return this;
    }

    public RequestValidator Defined<TEnum>(TEnum value, string field) where TEnum : struct, Enum =>
        Check(Convert.ToInt32(value) != 0 && Enum.IsDefined(value), field, "must be set to one of the defined values");

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw Errors.InvalidArgument(_violations);
        }
    }

    public static bool IsEmail(string value)
    {
        if (value.Length > 254 || value.Any(char.IsWhiteSpace))
        {
            return false;
        }
        var at = value.IndexOf('@');
        if (at <= 0 || at != value.LastIndexOf('@') || !value[(at + 1)..].Contains('.'))
        {
            return false;
        }
        return MailAddress.TryCreate(value, out var parsed) && parsed.Address == value;
    }
}
