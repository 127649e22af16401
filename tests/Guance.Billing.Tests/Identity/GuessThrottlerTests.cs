using System.Net;
using Guance.Billing.BillingAccounts;
using Guance.Billing.Identity;

namespace Guance.Billing.Tests.Identity;

public sealed class GuessThrottlerTests
{
    [Fact]
    public void Console_and_billing_keys_never_collide()
    {
        // A console key is an e-mail (it has an '@'); a billing user name can never have one.
        Assert.False(Usernames.IsValid("ann@example.com"));
        Assert.Contains('@', GuessThrottler.ConsoleAccount("billing:ann@example.com"));
        Assert.DoesNotContain('@', GuessThrottler.BillingAccount(Usernames.Normalize("Billing-Ann")));
        Assert.Equal("billing:billing-ann", GuessThrottler.BillingAccount(Usernames.Normalize(" Billing-Ann ")));
        Assert.NotEqual(GuessThrottler.BillingAccount("ann"), GuessThrottler.VoucherCodes("ann"));
    }

    [Fact]
    public void Address_keys_and_pair_keys_never_collide()
    {
        // A pair key holds a '|' (no address has one); an address key never does.
        Assert.Equal("ann@example.com|203.0.113.7", GuessThrottler.PairKey("ann@example.com", "203.0.113.7"));
        Assert.DoesNotContain('|', GuessThrottler.AddressKey(ClientAddresses.Of(IPAddress.Parse("2001:db8::1"))));
        Assert.NotEqual(GuessThrottler.AddressKey("203.0.113.7"), GuessThrottler.PairKey("address:203.0.113.7", ""));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    // The host part of an IPv6 address is the subscriber's to change: the /64 is what counts.
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void A_client_address_is_counted_by_its_IPv4_address_or_its_IPv6_network(string address, string counted)
    {
        Assert.Equal(counted, ClientAddresses.Of(IPAddress.Parse(address)));
    }

    [Fact]
    public void An_address_the_host_cannot_see_is_one_unknown_address()
    {
        Assert.Equal(ClientAddresses.Unknown, ClientAddresses.Of(null));
    }
}
