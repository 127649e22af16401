namespace Guance.Billing.Usage;

/// <summary>Collector ids are chosen by agents (typically a host name): 1 to 128 of letters, digits and . _ : -.</summary>
public static class CollectorIds
{
    public const int MaxLength = 128;

    public const string Rule = "must be 1 to 128 characters of letters, digits and . _ : - (for example the agent's host name)";

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                return false;
            }
        }
        return true;
    }
}
