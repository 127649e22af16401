namespace Guance.Billing.Client;

/// <summary>Turns what people type as a server address into the URI of a channel.</summary>
public static class GuanceAddress
{
    /// <summary>The host's default local address (plaintext HTTP/2).</summary>
    public const string Local = "http://127.0.0.1:50051";

    /// <summary>
    /// Parses <c>http://host:port</c> or <c>https://host:port</c> as given. Without a scheme, a
    /// loopback host (localhost, 127.0.0.0/8, [::1]) means plaintext and any other host TLS, the way
    /// the host is deployed: plaintext only for local use.
    /// </summary>
    public static Uri Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Trim();
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }
            throw new FormatException($"'{address}' is not a server address: use http://host:port (plaintext) or https://host:port (TLS).");
        }
        if (!Uri.TryCreate("http://" + text, UriKind.Absolute, out var plain) || plain.PathAndQuery != "/")
        {
            throw new FormatException($"'{address}' is not a server address: use host:port, http://host:port or https://host:port.");
        }
        return plain.IsLoopback ? plain : new UriBuilder(plain) { Scheme = Uri.UriSchemeHttps, Port = plain.IsDefaultPort ? 443 : plain.Port }.Uri;
    }
}
