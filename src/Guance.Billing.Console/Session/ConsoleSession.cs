namespace Guance.Billing.Console.Session;

/// <summary>The signed-in console user of this tab: the token, its id (to revoke it at sign-out) and who it is.</summary>
public sealed record SignedInUser(string Token, string ApiTokenId, string UserId, string Email, string DisplayName) : ISignedIn;

/// <summary>The tab's console-account session.</summary>
public sealed class ConsoleSession(ISessionStore store) : TabSession<SignedInUser>(store, "guance.console.session");
