using System.Net;
using System.Net.Sockets;

namespace Guance.Billing.Notifications.Webhooks;

/// <summary>
/// Which addresses the host POSTs webhooks to: public ones always; loopback when
/// <see cref="NotificationOptions.WebhookLoopback"/> allows it (development, the default); private, link-local (the
/// cloud's metadata service at 169.254.169.254), shared and unique-local ones only when
/// <see cref="NotificationOptions.WebhookPrivateNetworks"/> does (receivers inside the operator's network); unspecified,
/// multicast and broadcast ones never. Checked on the URL when an endpoint is saved (an address written in it) and on
/// every address its name resolves to when it is sent (<see cref="ConnectAsync"/>), so that no account can point
/// the host at the inside of its network.
/// </summary>
public static class WebhookDestinations
{
    public static bool IsAllowed(IPAddress address, NotificationOptions options)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return options.WebhookLoopback;
        }
        if (address.Equals(IPAddress.IPv6Any) || address.IsIPv6Multicast
            || (address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] is 0 or >= 224))
        {
            return false; // unspecified ("this network"), multicast, reserved and broadcast
        }
        return !IsInternal(address) || options.WebhookPrivateNetworks;
    }

    private static bool IsInternal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            // fc00::/7 unique local; link-local and site-local by the runtime's own tests.
            return (first & 0xfe) == 0xfc || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal;
        }
        var b = address.GetAddressBytes();
        return b[0] == 10                                             // 10.0.0.0/8
            || (b[0] == 100 && (b[1] & 0xc0) == 64)                   // 100.64.0.0/10, carrier-grade NAT
            || (b[0] == 169 && b[1] == 254)                           // link-local, the metadata services
            || (b[0] == 172 && (b[1] & 0xf0) == 16)                   // 172.16.0.0/12
            || (b[0] == 192 && b[1] == 168)                           // 192.168.0.0/16
            || (b[0] == 198 && (b[1] & 0xfe) == 18);                  // 198.18.0.0/15, benchmarking
    }

    /// <summary>
    /// The webhook client's connection: the host's name resolved, its first allowed address connected; none allowed
    /// fails the attempt as a connection error that names the reason (retried like any other).
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, NotificationOptions options, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => IsAllowed(a, options)).ToList();
        if (allowed.Count == 0)
        {
            throw new HttpRequestException($"{endPoint.Host} resolves to no address that webhooks may reach (loopback, private or link-local addresses are not, unless the host's settings allow them).");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.Select(a => new IPEndPoint(a, endPoint.Port)).First(), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
