using System.Text.Json;

namespace Guance.Billing.Console.Session;

/// <summary>The signed-in console user of this tab: the token, its id (to revoke it at sign-out) and who it is.</summary>
public sealed record SignedInUser(string Token, string ApiTokenId, string UserId, string Email, string DisplayName);

/// <summary>
/// The tab's session, restored from session storage on the first page. Signing out revokes the
/// token on the host before forgetting it; an expired token (the host answers UNAUTHENTICATED)
/// forgets it and leaves a message for the sign-in page.
/// </summary>
public sealed class ConsoleSession(ISessionStore store)
{
    private const string Key = "guance.console.session";
    private bool _loaded;

    /// <summary>The signed-in user; null when signed out.</summary>
    public SignedInUser? User { get; private set; }

    /// <summary>Why the person was sent back to sign-in (an expired session), shown there once.</summary>
    public string? SignInMessage { get; private set; }

    public string? Token => User?.Token;

    public event Action? Changed;

    public async Task LoadAsync()
    {
        if (_loaded)
        {
            return;
        }
        var json = await store.GetAsync(Key);
        User = string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<SignedInUser>(json);
        _loaded = true;
    }

    public async Task SignInAsync(SignedInUser user)
    {
        User = user;
        SignInMessage = null;
        _loaded = true;
        await store.SetAsync(Key, JsonSerializer.Serialize(user));
        Changed?.Invoke();
    }

    /// <summary>Forgets the token (already revoked, or no longer valid) and keeps <paramref name="message"/> for the sign-in page.</summary>
    public async Task EndAsync(string? message)
    {
        User = null;
        SignInMessage = message;
        _loaded = true;
        await store.RemoveAsync(Key);
        Changed?.Invoke();
    }

    /// <summary>Takes the sign-in message: it is shown once.</summary>
    public string? TakeSignInMessage()
    {
        var message = SignInMessage;
        SignInMessage = null;
        return message;
    }
}
