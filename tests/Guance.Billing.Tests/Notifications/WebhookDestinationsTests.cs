using System.Net;
using Guance.Billing.Notifications;
using Guance.Billing.Notifications.Webhooks;

namespace Guance.Billing.Tests.Notifications;

/// <summary>Which addresses webhooks may reach, by the host's two settings (loopback only where turned on), and the connection that checks a name's every address.</summary>
public sealed class WebhookDestinationsTests
{
    private static readonly NotificationOptions Development = new() { WebhookLoopback = true };
    private static readonly NotificationOptions Defaults = new();
    private static readonly NotificationOptions Inside = new() { WebhookPrivateNetworks = true, WebhookLoopback = true };

    [Theory]
    [InlineData("93.184.216.34", true, true, true)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", true, true, true)]
    [InlineData("127.0.0.1", true, false, true)]
    [InlineData("::1", true, false, true)]
    [InlineData("::ffff:127.0.0.1", true, false, true)]
    [InlineData("169.254.169.254", false, false, true)]
    [InlineData("10.1.2.3", false, false, true)]
    [InlineData("172.31.255.255", false, false, true)]
    [InlineData("172.32.0.1", true, true, true)]
    [InlineData("192.168.0.1", false, false, true)]
    [InlineData("100.64.0.1", false, false, true)]
    [InlineData("100.128.0.1", true, true, true)]
    [InlineData("fd12:3456::1", false, false, true)]
    [InlineData("fe80::1", false, false, true)]
    [InlineData("::ffff:10.0.0.1", false, false, true)]
    [InlineData("64:ff9b::a00:1", false, false, true)]
    [InlineData("64:ff9b::a9fe:a9fe", false, false, true)]
    [InlineData("64:ff9b::5db8:d822", true, true, true)]
    [InlineData("::ffff:0:a00:1", false, false, true)]
    [InlineData("::a00:1", false, false, true)]
    [InlineData("64:ff9b::7f00:1", true, false, true)]
    [InlineData("192.0.0.8", false, false, true)]
    // 6to4 and Teredo carry an IPv4 address too: the metadata service, a loopback one, a public one.
    [InlineData("2002:a9fe:a9fe::", false, false, true)]
    [InlineData("2002:7f00:1::1", true, false, true)]
    [InlineData("2002:5db8:d822::1", true, true, true)]
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fffe", false, false, true)]
    [InlineData("2001:0:4136:e378:8000:63bf:a247:27dd", true, true, true)]
    [InlineData("0.0.0.0", false, false, false)]
    [InlineData("::", false, false, false)]
    [InlineData("255.255.255.255", false, false, false)]
    [InlineData("224.0.0.1", false, false, false)]
    [InlineData("ff02::1", false, false, false)]
    public void An_address_is_reached_only_where_the_settings_allow(string address, bool inDevelopment, bool byDefault, bool inside)
    {
        var ip = IPAddress.Parse(address);
        Assert.Equal(inDevelopment, WebhookDestinations.IsAllowed(ip, Development));
        Assert.Equal(byDefault, WebhookDestinations.IsAllowed(ip, Defaults));
        Assert.Equal(inside, WebhookDestinations.IsAllowed(ip, Inside));
    }

    [Fact]
    public async Task A_name_that_resolves_only_to_refused_addresses_is_not_connected()
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            WebhookDestinations.ConnectAsync(new DnsEndPoint("localhost", 9), Defaults, CancellationToken.None).AsTask());
        Assert.Contains("localhost", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            WebhookDestinations.ConnectAsync(new DnsEndPoint("169.254.169.254", 80), Defaults, CancellationToken.None).AsTask());
    }

    [Theory]
    [InlineData("http://localhost:9000/x")]
    [InlineData("http://127.0.0.1:9000/x")]
    [InlineData("https://[::1]/x")]
    [InlineData("https://localhost./x")]
    [InlineData("https://LOCALHOST/x")]
    [InlineData("http://api.localhost:9000/x")]
    [InlineData("https://\uFF4C\uFF4F\uFF43\uFF41\uFF4C\uFF48\uFF4F\uFF53\uFF54/x")] // full-width letters
    [InlineData("https://localhost\u3002/x")] // an ideographic full stop
    public void Loopback_urls_are_refused_unless_loopback_webhooks_are_on(string url)
    {
        Assert.Null(WebhookUrl.Problem(url, Development));
        Assert.Contains("loopback", WebhookUrl.Problem(url, Defaults), StringComparison.Ordinal);
        // Told to the account's holder, who cannot change the host's settings: their names stay in the operator's docs.
        Assert.DoesNotContain("Guance:", WebhookUrl.Problem(url, Defaults), StringComparison.Ordinal);
    }
}
