using Microsoft.JSInterop;

namespace Guance.Billing.Console.Components;

/// <summary>
/// Copies text to the clipboard through wwwroot/js/clipboard.js (a module: the CSP allows no inline
/// script). The browser may refuse (no permission, not a secure context): the text stays shown to copy by hand.
/// </summary>
public sealed class BrowserClipboard(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/clipboard.js";

    private IJSObjectReference? _module;

    /// <summary>Whether the text was copied.</summary>
    public async Task<bool> CopyAsync(string text)
    {
        try
        {
            _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
            return await _module.InvokeAsync<bool>("copyText", text);
        }
        catch (JSException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The page is gone, and its module with it.
            }
        }
    }
}
