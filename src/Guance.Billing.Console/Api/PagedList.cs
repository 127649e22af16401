namespace Guance.Billing.Console.Api;

/// <summary>One page of a list as a page's call answered it: the rows and the token of the next page (empty on the last).</summary>
public readonly record struct ApiPage<T>(IReadOnlyList<T> Items, string NextPageToken, ConsoleError? Error);

/// <summary>Makes <see cref="ApiPage{T}"/>s of list responses.</summary>
public static class ApiPage
{
    /// <summary>The page of a list response: its rows and its next_page_token, or the call's error.</summary>
    public static ApiPage<T> Of<TResponse, T>(ApiResult<TResponse> result, Func<TResponse, IEnumerable<T>> items, Func<TResponse, string> nextPageToken) =>
        result.Value is { } value ? new ApiPage<T>(items(value).ToList(), nextPageToken(value), null) : new ApiPage<T>([], "", result.Error);

    /// <summary>Every row of a list, page after page (<paramref name="fetch"/> reads the page of a token, "" for the first); no rows but the error when a page fails.</summary>
    public static async Task<ApiResult<List<T>>> AllAsync<T>(Func<string, Task<ApiPage<T>>> fetch)
    {
        var all = new List<T>();
        var token = "";
        do
        {
            var page = await fetch(token);
            if (page.Error is { } error)
            {
                return new(null, error);
            }
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return new(all, null);
    }
}

/// <summary>
/// A list read page by page with the host's page tokens: the first page on load (or on a new search), each
/// next page appended when the person asks for more, so that nothing beyond the first page is left unreachable.
/// </summary>
public sealed class PagedList<T>
{
    // A new list at every change, so that a grid bound to Items sees that it changed.
    private IReadOnlyList<T> _items = [];
    private string _nextPageToken = "";

    public IReadOnlyList<T> Items => _items;

    /// <summary>Whether the host has more rows than those shown.</summary>
    public bool HasMore => _nextPageToken.Length > 0;

    /// <summary>Starts again from the first page; <paramref name="fetch"/> reads the page of a token ("" for the first).</summary>
    public async Task<ConsoleError?> ReloadAsync(Func<string, Task<ApiPage<T>>> fetch)
    {
        var page = await fetch("");
        _items = [];
        _nextPageToken = "";
        return Take(page);
    }

    /// <summary>Appends the next page.</summary>
    public async Task<ConsoleError?> MoreAsync(Func<string, Task<ApiPage<T>>> fetch) => HasMore ? Take(await fetch(_nextPageToken)) : null;

    private ConsoleError? Take(ApiPage<T> page)
    {
        if (page.Error is null)
        {
            _items = [.. _items, .. page.Items];
            _nextPageToken = page.NextPageToken;
        }
        return page.Error;
    }
}
