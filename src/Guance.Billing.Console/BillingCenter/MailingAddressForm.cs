using Google.Protobuf.WellKnownTypes;
using Guance.Billing.V1;

namespace Guance.Billing.Console.BillingCenter;

/// <summary>The form of one mailing address: where paper invoices go (docs/domain.md §8).</summary>
public sealed class MailingAddressForm
{
    /// <summary>The fields the form shows, as the host names them in its violations.</summary>
    public static readonly string[] Fields =
        ["mailing_address.recipient", "mailing_address.phone", "mailing_address.email", "mailing_address.address"];

    private static readonly string[] UpdatablePaths = ["recipient", "phone", "email", "address"];

    /// <summary>The address being edited; null for a new one.</summary>
    public string? MailingAddressId { get; init; }

    public string Recipient { get; set; } = "";

    public string Phone { get; set; } = "";

    public string Email { get; set; } = "";

    public string Address { get; set; } = "";

    public static MailingAddressForm From(MailingAddress address) => new()
    {
        MailingAddressId = address.MailingAddressId,
        Recipient = address.Recipient,
        Phone = address.Phone,
        Email = address.Email,
        Address = address.Address,
    };

    public CreateMailingAddressRequest ToCreate(string billingAccountId) =>
        new() { BillingAccountId = billingAccountId, MailingAddress = ToAddress() };

    public UpdateMailingAddressRequest ToUpdate()
    {
        var request = new UpdateMailingAddressRequest { MailingAddress = ToAddress(), UpdateMask = new FieldMask() };
        request.MailingAddress.MailingAddressId = MailingAddressId ?? "";
        request.UpdateMask.Paths.AddRange(UpdatablePaths);
        return request;
    }

    private MailingAddress ToAddress() => new() { Recipient = Recipient, Phone = Phone, Email = Email, Address = Address };
}
