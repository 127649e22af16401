using Microsoft.JSInterop;

namespace Guance.Billing.Console.Session;

/// <summary>Where the signed-in session is kept: the browser's session storage (never cookies, never the URL).</summary>
public interface ISessionStore
{
    ValueTask<string?> GetAsync(string key);

    ValueTask SetAsync(string key, string value);

    ValueTask RemoveAsync(string key);
}

/// <summary>
/// window.sessionStorage: it lives as long as the tab, is not sent with any request (unlike a
/// cookie) and never appears in a URL, a referrer or a server log.
/// </summary>
public sealed class BrowserSessionStore(IJSRuntime js) : ISessionStore
{
    public ValueTask<string?> GetAsync(string key) => js.InvokeAsync<string?>("sessionStorage.getItem", key);

    public ValueTask SetAsync(string key, string value) => js.InvokeVoidAsync("sessionStorage.setItem", key, value);

    public ValueTask RemoveAsync(string key) => js.InvokeVoidAsync("sessionStorage.removeItem", key);
}
