using System.Text.Json;

namespace Guance.Billing.Console.Session;

/// <summary>Who a tab's session is: it carries the bearer token the calls send.</summary>
public interface ISignedIn
{
    string Token { get; }
}

/// <summary>
/// A session of this tab, restored from session storage on the first page. Signing out revokes the
/// token on the host before forgetting it; an expired token (the host answers UNAUTHENTICATED)
/// forgets it and leaves a message for the sign-in page. The console account and the billing-center
/// account each have their own, under their own key.
/// </summary>
public abstract class TabSession<TSignedIn>(ISessionStore store, string key)
    where TSignedIn : class, ISignedIn
{
    private bool _loaded;

    /// <summary>Who is signed in; null when signed out.</summary>
    public TSignedIn? User { get; private set; }

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
        var json = await store.GetAsync(key);
        User = string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<TSignedIn>(json);
        _loaded = true;
    }

    public async Task SignInAsync(TSignedIn user)
    {
        User = user;
        SignInMessage = null;
        _loaded = true;
        await store.SetAsync(key, JsonSerializer.Serialize(user));
        Changed?.Invoke();
    }

    /// <summary>Forgets the token (already revoked, or no longer valid) and keeps <paramref name="message"/> for the sign-in page.</summary>
    public async Task EndAsync(string? message)
    {
        User = null;
        SignInMessage = message;
        _loaded = true;
        await store.RemoveAsync(key);
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
