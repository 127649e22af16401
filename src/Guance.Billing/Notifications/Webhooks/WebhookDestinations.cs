using System.Net;
using System.Net.Sockets;

namespace Guance.Billing.Notifications.Webhooks;

/// <summary>
/// Which addresses the host POSTs webhooks to: public ones always; loopback when
/// <see cref="NotificationOptions.WebhookLoopback"/> allows it (development; off by default); private, link-local (the
/// cloud's metadata service at 169.254.169.254), shared and unique-local ones only when
/// <see cref="NotificationOptions.WebhookPrivateNetworks"/> does (receivers inside the operator's network); unspecified,
/// multicast and broadcast ones never. An IPv6 address that carries an IPv4 one is judged as that. Checked on the URL
/// when an endpoint is saved (an address written in it) and on every address its name resolves to when it is sent
/// (<see cref="ConnectAsync"/>), so that no account can point the host at the inside of its network.
/// </summary>
public static class WebhookDestinations
{
    public static bool IsAllowed(IPAddress address, NotificationOptions options)
    {
        address = EmbeddedIPv4(address) ?? address;
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

    /// <summary>
    /// The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d, compatible ::a.b.c.d, NAT64
    /// 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002:aabb:ccdd::/48, and a Teredo 2001::/32 client's, stored inverted), judged as itself.
    /// </summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        var b = address.GetAddressBytes();
        bool Zero(int from, int to) => b.AsSpan(from, to - from).IndexOfAnyExcept((byte)0) < 0;
        var translated = Zero(0, 8) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0;
        var compatible = Zero(0, 12) && !Zero(12, 16) && !(Zero(12, 15) && b[15] == 1); // not :: nor ::1
        var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && (Zero(4, 12) || (b[4] == 0 && b[5] == 1));
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b.AsSpan(2, 4));
        }
        if (b[0] == 0x20 && b[1] == 0x01 && Zero(2, 4))
        {
            return new IPAddress([(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]]);
        }
        return translated || compatible || nat64 ? new IPAddress(b.AsSpan(12, 4)) : null;
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
            || (b[0] == 192 && b[1] == 0 && b[2] == 0)                // 192.0.0.0/24, protocol assignments
            || (b[0] == 198 && (b[1] & 0xfe) == 18);                  // 198.18.0.0/15, benchmarking
    }

    /// <summary>
    /// The webhook client's connection: the host's name resolved, its allowed addresses tried in turn; none allowed
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
            await socket.ConnectAsync([.. allowed], endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
