using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>Vouchers: the account's list and redeeming an activation code (docs/domain.md §6).</summary>
public sealed class VouchersPageTests : ConsoleContext
{
    private static readonly DateTimeOffset Expiry = new(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public VouchersPageTests() => SignInBillingCenterAsync().GetAwaiter().GetResult();

    [Fact]
    public void A_redeemed_code_says_what_it_gave_and_the_list_shows_it()
    {
        var redeemed = false;
        Host.On<ListVouchersRequest, ListVouchersResponse>("BillingAccountService/ListVouchers", _ => redeemed
            ? new ListVouchersResponse { Vouchers = { Voucher() } }
            : new ListVouchersResponse());
        Host.On<RedeemVoucherRequest, RedeemVoucherResponse>("BillingAccountService/RedeemVoucher", _ =>
        {
            redeemed = true;
            return new RedeemVoucherResponse { Voucher = Voucher() };
        });
        var page = Render<VouchersPage>();
        page.WaitForAssertion(() => Assert.Contains("No vouchers yet.", page.Markup));

        page.Find("input").Change("  WELCOME-2026  ");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("a voucher of CNY\u00A050.00, usable until 2027-01-01 00:00", page.Find("[data-testid=redeemed]").TextContent));
        var request = Host.CallsOf<RedeemVoucherRequest>("BillingAccountService/RedeemVoucher").Single();
        Assert.Equal((BillingAccountId, "WELCOME-2026"), (request.BillingAccountId, request.ActivationCode));
        var row = page.Find("[data-testid=vouchers] tbody tr").TextContent;
        Assert.Contains("Ordinary", row);
        Assert.Contains("CNY\u00A050.00", row);
        Assert.Contains("CNY\u00A042.10", row);
        Assert.Contains("Usable", row);
    }

    [Fact]
    public void A_refused_code_is_explained_next_to_the_field_and_nothing_is_listed_as_redeemed()
    {
        Host.On<ListVouchersRequest, ListVouchersResponse>("BillingAccountService/ListVouchers", _ => new ListVouchersResponse());
        Host.On<RedeemVoucherRequest, RedeemVoucherResponse>("BillingAccountService/RedeemVoucher",
            _ => throw FakeHost.BadRequest(("activation_code", "No voucher has this activation code.")));
        var page = Render<VouchersPage>();

        page.Find("input").Change("NOPE-NOPE");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("No voucher has this activation code.", page.Find(".mud-input-error").TextContent));
        Assert.Empty(page.FindAll("[data-testid=redeemed]"));
        Assert.Single(Host.CallsOf<ListVouchersRequest>("BillingAccountService/ListVouchers"));
    }

    [Fact]
    public void An_unknown_code_is_explained_next_to_the_field_in_the_hosts_words()
    {
        Host.On<ListVouchersRequest, ListVouchersResponse>("BillingAccountService/ListVouchers", _ => new ListVouchersResponse());
        Host.On<RedeemVoucherRequest, RedeemVoucherResponse>("BillingAccountService/RedeemVoucher",
            _ => throw FakeHost.Failure(Grpc.Core.StatusCode.NotFound, "ACTIVATION_CODE_NOT_FOUND", "No voucher has this activation code."));
        var page = Render<VouchersPage>();

        page.Find("input").Change("NOPE-NOPE");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("No voucher has this activation code.", page.Find(".mud-input-error").TextContent));
        Assert.Empty(page.FindAll("[data-testid=error]"));
        Assert.DoesNotContain("ACTIVATION_CODE_NOT_FOUND", page.Markup);
    }

    private static Voucher Voucher() => new()
    {
        VoucherId = "vch_1", BillingAccountId = BillingAccountId, Kind = VoucherKind.Ordinary, State = LotState.Active,
        FaceValue = MoneyAmounts.FromDecimal(50m), Balance = MoneyAmounts.FromDecimal(42.10m),
        StartTime = Timestamp.FromDateTimeOffset(Expiry.AddMonths(-2)), ExpireTime = Timestamp.FromDateTimeOffset(Expiry),
        IssueTime = Timestamp.FromDateTimeOffset(Expiry.AddMonths(-2)),
    };
}
