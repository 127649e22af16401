using System.Net;

namespace Guance.Billing.Notifications.Webhooks;

/// <summary>
/// Which URLs an endpoint may have: absolute https, or http to a loopback host for development; an address written
/// in it must be one that webhooks may reach (<see cref="WebhookDestinations"/>).
/// </summary>
public static class WebhookUrl
{
    public const int MaxLength = 2000;

    private const string LoopbackRefused = "must not point at a loopback address: this host sends no webhooks to itself";

    /// <summary>Null when <paramref name="url"/> is acceptable, else what is wrong with it.</summary>
    public static string? Problem(string url, NotificationOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return "must be an absolute URL such as https://example.com/hooks";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not carry a user name or password";
        }
        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "must not have a fragment";
        }
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var written) && !WebhookDestinations.IsAllowed(written, options))
        {
            return IPAddress.IsLoopback(written)
                ? LoopbackRefused
                : "must not point at a private, link-local or otherwise internal address";
        }
        if (IsLocalhostName(uri.IdnHost) && !options.WebhookLoopback)
        {
            return LoopbackRefused;
        }
        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            return IsLoopback(uri) ? null : "must use https; http is allowed only to a loopback host (localhost, 127.0.0.1, [::1])";
        }
        return "must use https (or http to a loopback host)";
    }

    private static bool IsLoopback(Uri uri) =>
        IsLocalhostName(uri.IdnHost) || (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>
    /// <c>localhost</c>, also written as a fully qualified name (<c>localhost.</c>) and the names under it
    /// (<c>api.localhost</c>), which resolvers answer with loopback addresses (RFC 6761); read in the form that is
    /// resolved (<see cref="Uri.IdnHost"/>), so that full-width letters or dots are no way around it.
    /// </summary>
    private static bool IsLocalhostName(string host)
    {
        var name = host.TrimEnd('.');
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }
}
