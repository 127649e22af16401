using System.Net.Mail;

namespace Guance.Billing.Common;

/// <summary>
/// Collects every bad field of a request before anything changes, so that the caller sees all of
/// them at once; <see cref="ThrowIfInvalid"/> raises INVALID_ARGUMENT with one violation per field
/// (the first <see cref="Errors.MaxReportedViolations"/> of them, and how many more).
/// </summary>
public sealed class RequestValidator
{
    /// <summary>The most paths an update_mask may name (a resource has only a few updatable fields).</summary>
    public const int MaxUpdateMaskPaths = 16;

    // Made at the first violation: a valid request, which is every batch of a healthy agent, allocates neither.
    private List<FieldViolation>? _violations;

    // The fields already reported, so that a check costs the same whatever came before it: a request
    // with thousands of bad elements is validated in linear time.
    private HashSet<string>? _fields;

    public bool IsValid => _violations is null;

    public RequestValidator Check(bool valid, string field, string description)
    {
        if (!valid && (_fields ??= new HashSet<string>(StringComparer.Ordinal)).Add(field))
        {
            (_violations ??= []).Add(new FieldViolation(field, description));
        }
        return this;
    }

    /// <summary>
    /// Checks how many elements a repeated field has, before its elements: true when there are at most
    /// <paramref name="max"/>, and only then are the elements worth checking, so that an oversized list
    /// costs no more than its count.
    /// </summary>
    public bool Size(int count, string field, int max, int min = 0)
    {
        Check(count >= min && count <= max, field, min > 0 ? $"must have {min} to {max} elements" : $"must have at most {max} elements");
        return count <= max;
    }

    public RequestValidator Required(string? value, string field) =>
        Check(!string.IsNullOrWhiteSpace(value), field, "is required");

    public RequestValidator Text(string? value, string field, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Check(false, field, "is required") : this;
        }
        Check(FitsIn(value, maxLength), field, $"must be at most {maxLength} characters");
        return Check(!value.Any(char.IsControl), field, "must not contain control characters");
    }

    /// <summary>
    /// Whether the text has at most <paramref name="maxCharacters"/> characters: Unicode code points, as PostgreSQL's
    /// varchar(n) counts them (an emoji is one character, not two UTF-16 units).
    /// </summary>
    public static bool FitsIn(string value, int maxCharacters)
    {
        if (value.Length <= maxCharacters)
        {
            return true;
        }
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            if (++count > maxCharacters)
            {
                return false;
            }
        }
        return true;
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
        return Check(Ids.IsWellFormed(value, prefix), field, $"must be an id as the API returns it: {prefix}_ and 26 lower-case letters and digits");
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
        Check(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) != 0 && Enum.IsDefined(value), field, "must be set to one of the defined values");

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw Errors.InvalidArgument(_violations!);
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
