namespace Guance.Billing.Settlement;

/// <summary>
/// Cuts bills ordered by billing account into at most <c>count</c> slices of about equal size, never
/// splitting an account: slices charged at once then lock disjoint wallets.
/// </summary>
internal static class ChargeSlices
{
    public static List<List<T>> Cut<T>(IReadOnlyList<T> ordered, int count, Func<T, string> accountOf)
    {
        var slices = new List<List<T>>();
        var target = (ordered.Count + Math.Max(1, count) - 1) / Math.Max(1, count);
        var current = new List<T>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var startsAccount = i == 0 || !string.Equals(accountOf(ordered[i]), accountOf(ordered[i - 1]), StringComparison.Ordinal);
            if (startsAccount && current.Count >= target && slices.Count < count - 1)
            {
                slices.Add(current);
                current = [];
            }
            current.Add(ordered[i]);
        }
        if (current.Count > 0)
        {
            slices.Add(current);
        }
        return slices;
    }
}
