using Guance.Billing.Client;
using Guance.Billing.Console.BillingCenter;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The invoice forms' logic (docs/domain.md §8), without a browser.</summary>
public sealed class InvoiceFormsTests
{
    private const string AccountId = "ba_test";

    [Fact]
    public void Only_a_vat_special_invoice_information_carries_bank_and_registration_data()
    {
        var form = new InvoiceInfoForm { Type = InvoiceType.VatSpecial, BankName = "Bank of Hangzhou", BankAccountNumber = "6222 0000", RegisteredAddress = "1 West Lake Road", RegisteredPhone = "0571 8888 0000" };
        var special = form.ToCreate(AccountId).InvoiceInfo;
        Assert.True(form.NeedsBankDetails);
        Assert.Equal(("Bank of Hangzhou", "6222 0000", "1 West Lake Road", "0571 8888 0000"), (special.BankName, special.BankAccountNumber, special.RegisteredAddress, special.RegisteredPhone));

        form.Type = InvoiceType.ElectronicOrdinary;
        var electronic = form.ToCreate(AccountId).InvoiceInfo;
        Assert.False(form.NeedsBankDetails);
        Assert.Equal(("", "", "", ""), (electronic.BankName, electronic.BankAccountNumber, electronic.RegisteredAddress, electronic.RegisteredPhone));
    }

    [Fact]
    public void An_update_names_the_information_and_every_field_so_that_leaving_vat_special_clears_the_bank_data()
    {
        var form = InvoiceInfoForm.From(new InvoiceInfo { InvoiceInfoId = "ii_1", Type = InvoiceType.VatSpecial, BankName = "Bank", BankAccountNumber = "1", RegisteredAddress = "A", RegisteredPhone = "12345" });
        form.Type = InvoiceType.VatOrdinary;

        var update = form.ToUpdate();

        Assert.Equal("ii_1", update.InvoiceInfo.InvoiceInfoId);
        Assert.Equal(["type", "bank_name", "bank_account_number", "registered_address", "registered_phone"], update.UpdateMask.Paths);
        Assert.Equal("", update.InvoiceInfo.BankName);
    }

    [Fact]
    public void A_mailing_address_update_names_the_address_and_its_fields()
    {
        var form = MailingAddressForm.From(new MailingAddress { MailingAddressId = "ma_1", Recipient = "Li Lei", Phone = "13800000000", Email = "li@example.com", Address = "1 West Lake Road" });
        form.Recipient = "Han Meimei";

        var update = form.ToUpdate();

        Assert.Equal(("ma_1", "Han Meimei", "li@example.com"), (update.MailingAddress.MailingAddressId, update.MailingAddress.Recipient, update.MailingAddress.Email));
        Assert.Equal(["recipient", "phone", "email", "address"], update.UpdateMask.Paths);
    }

    [Fact]
    public void Only_sources_with_a_remaining_balance_can_be_picked_and_the_total_is_exact()
    {
        var form = new InvoiceRequestForm([Source("mb_1", 0.10m), Source("mb_2", 0m), Source("card_1", 0.20m)]);

        Assert.Equal(["mb_1", "card_1"], form.Picks.Select(p => p.Source.SourceId));
        form.Picks[0].Picked = true;
        form.Picks[1].Picked = true;
        Assert.Equal(0.30m, form.Total());
        form.Picks[1].Amount = "0.05";
        Assert.Equal(0.15m, form.Total());
        form.Picks[1].Amount = "0.055";
        Assert.Null(form.Total());
    }

    [Fact]
    public void An_amount_that_does_not_parse_is_named_by_its_place_among_the_picked_sources_and_nothing_is_sent()
    {
        var form = new InvoiceRequestForm([Source("mb_1", 10m), Source("mb_2", 10m), Source("card_1", 100m)]) { InvoiceInfoId = "ii_1", Email = "a@example.com" };
        form.Picks[1].Picked = true;
        form.Picks[2].Picked = true;
        form.Picks[2].Amount = "abc";

        var (request, error) = form.Build(AccountId, InvoiceType.ElectronicOrdinary);

        Assert.Null(request);
        Assert.NotNull(error!.For("sources[1].amount"));
        Assert.Equal("sources[0]", form.FieldOf(form.Picks[1]));
        Assert.Null(form.FieldOf(form.Picks[0]));
    }

    [Fact]
    public void A_paper_invoice_goes_to_the_address_and_an_electronic_one_to_the_e_mail_address()
    {
        var form = new InvoiceRequestForm([Source("mb_1", 10m), Source("card_1", 100m)]) { InvoiceInfoId = "ii_1", MailingAddressId = "ma_1", Email = " a@example.com " };
        form.Picks[0].Picked = true;
        form.Picks[1].Picked = true;
        form.Picks[1].Amount = "40";

        var paper = form.Build(AccountId, InvoiceType.VatSpecial).Request!;
        var electronic = form.Build(AccountId, InvoiceType.ElectronicOrdinary).Request!;

        Assert.Equal(("ma_1", ""), (paper.MailingAddressId, paper.Email));
        Assert.Equal(("", "a@example.com"), (electronic.MailingAddressId, electronic.Email));
        Assert.Null(paper.Sources[0].Amount);
        Assert.Equal(40m, paper.Sources[1].Amount.ToDecimal());
        Assert.Equal((AccountId, "ii_1"), (paper.BillingAccountId, paper.InvoiceInfoId));
    }

    [Fact]
    public void The_same_request_sent_again_keeps_its_request_id_and_a_changed_or_answered_one_gets_a_new_one()
    {
        var form = new InvoiceRequestForm([Source("mb_1", 10m)]) { InvoiceInfoId = "ii_1", Email = "a@example.com" };
        form.Picks[0].Picked = true;

        var first = form.Build(AccountId, InvoiceType.ElectronicOrdinary).Request!;
        var retry = form.Build(AccountId, InvoiceType.ElectronicOrdinary).Request!;
        form.Picks[0].Amount = "5";
        var changed = form.Build(AccountId, InvoiceType.ElectronicOrdinary).Request!;
        form.Sent();
        var next = form.Build(AccountId, InvoiceType.ElectronicOrdinary).Request!;

        Assert.Equal(first.RequestId, retry.RequestId);
        Assert.NotEqual(first.RequestId, changed.RequestId);
        Assert.NotEqual(changed.RequestId, next.RequestId);
        Assert.NotEmpty(first.RequestId);
    }

    private static InvoiceableSource Source(string id, decimal remaining) => new()
    {
        SourceId = id,
        Kind = id.StartsWith("mb_", StringComparison.Ordinal) ? InvoiceSourceKind.MonthlyBill : InvoiceSourceKind.PrepaidCardPurchase,
        Year = 2026,
        Month = 10,
        Remaining = MoneyAmounts.FromDecimal(remaining),
    };
}
