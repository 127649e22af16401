using System.Net;
using System.Net.Sockets;

namespace Guance.Billing.Identity;

/// <summary>The network address of a caller, as <see cref="GuessThrottler"/> counts guesses by it.</summary>
public static class ClientAddresses
{
    /// <summary>A caller whose address the host cannot see (in-memory tests, a Unix socket).</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// An IPv4 address as it is (also when mapped into IPv6); an IPv6 address by its /64 network, since
    /// one subscriber usually holds a whole /64 and could otherwise take a fresh address per guess.
    /// </summary>
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
