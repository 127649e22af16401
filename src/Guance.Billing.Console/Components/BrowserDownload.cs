using Microsoft.JSInterop;

namespace Guance.Billing.Console.Components;

/// <summary>
/// Hands a file the console fetched through the API (never a URL with a token in it) to the browser
/// as a download, through wwwroot/js/download.js (a module: the CSP allows no inline script).
/// </summary>
public sealed class BrowserDownload(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/download.js";

    private IJSObjectReference? _module;

    public async Task SaveAsync(string fileName, string contentType, byte[] content)
    {
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
        await _module.InvokeVoidAsync("saveFile", fileName, contentType, content);
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
