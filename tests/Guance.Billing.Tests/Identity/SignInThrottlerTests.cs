using Guance.Billing.BillingAccounts;
using Guance.Billing.Identity;

namespace Guance.Billing.Tests.Identity;

public sealed class SignInThrottlerTests
{
    [Fact]
    public void Console_and_billing_keys_never_collide()
    {
        // A console key is an e-mail (it has an '@'); a billing user name can never have one.
        Assert.False(Usernames.IsValid("ann@example.com"));
        Assert.Contains('@', SignInThrottler.ConsoleKey("billing:ann@example.com"));
        Assert.DoesNotContain('@', SignInThrottler.BillingKey(Usernames.Normalize("Billing-Ann")));
        Assert.Equal("billing:billing-ann", SignInThrottler.BillingKey(Usernames.Normalize(" Billing-Ann ")));
        Assert.NotEqual(SignInThrottler.BillingKey("ann"), SignInThrottler.VoucherRedeemKey("ann"));
    }
}
