using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Common;

/// <summary>
/// One validated page of a list: how many rows, after which key, of which list (the token of one
/// list is refused by another). Made by <see cref="RequestValidator.Page"/>.
/// </summary>
public sealed record PageRequest(string List, int Size, string? After)
{
    /// <summary>
    /// Fetches this page of <paramref name="query"/> ordered by a unique string key (an id, which
    /// is creation-ordered), newest first unless <paramref name="oldestFirst"/>, with the token of
    /// the next page.
    /// </summary>
    public async Task<(IReadOnlyList<T> Items, string NextPageToken)> FetchAsync<T>(
        IQueryable<T> query, Expression<Func<T, string>> key, CancellationToken cancellationToken, bool oldestFirst = false)
    {
        if (After is not null)
        {
            query = query.Where(Beyond(key, After, oldestFirst));
        }
        query = oldestFirst ? query.OrderBy(key) : query.OrderByDescending(key);
        var fetched = await query.Take(Size + 1).ToListAsync(cancellationToken);
        return Paging.Page(fetched, Size, List, key.Compile());
    }

    /// <summary><c>key(x) &gt; after</c> (or &lt;), as string.Compare, which EF turns into a plain comparison.</summary>
    private static Expression<Func<T, bool>> Beyond<T>(Expression<Func<T, string>> key, string after, bool ascending)
    {
        var compare = Expression.Call(
            typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!,
            key.Body,
            // A captured value, so that the query is parameterized rather than a new literal each page.
            Expression.Property(Expression.Constant(new Captured(after)), nameof(Captured.Value)));
        var zero = Expression.Constant(0);
        var test = ascending ? Expression.GreaterThan(compare, zero) : Expression.LessThan(compare, zero);
        return Expression.Lambda<Func<T, bool>>(test, key.Parameters);
    }

    private sealed record Captured(string Value);
}
