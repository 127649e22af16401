using Google.Protobuf.WellKnownTypes;
using Guance.Billing.V1;

namespace Guance.Billing.Console.BillingCenter;

/// <summary>
/// The form of one invoice information: its type and, for a VAT special invoice only, the bank and
/// registration data (docs/domain.md §8). Title and taxpayer id are never typed: they come from the
/// certification.
/// </summary>
public sealed class InvoiceInfoForm
{
    /// <summary>The fields the form shows, as the host names them in its violations.</summary>
    public static readonly string[] Fields =
    [
        "invoice_info.type", "invoice_info.bank_name", "invoice_info.bank_account_number",
        "invoice_info.registered_address", "invoice_info.registered_phone",
    ];

    private static readonly string[] UpdatablePaths = ["type", "bank_name", "bank_account_number", "registered_address", "registered_phone"];

    /// <summary>The information being edited; null for a new one.</summary>
    public string? InvoiceInfoId { get; init; }

    public InvoiceType Type { get; set; } = InvoiceType.VatOrdinary;

    public string BankName { get; set; } = "";

    public string BankAccountNumber { get; set; } = "";

    public string RegisteredAddress { get; set; } = "";

    public string RegisteredPhone { get; set; } = "";

    /// <summary>Only a VAT special invoice carries bank and registration data.</summary>
    public bool NeedsBankDetails => Type == InvoiceType.VatSpecial;

    public static InvoiceInfoForm From(InvoiceInfo info) => new()
    {
        InvoiceInfoId = info.InvoiceInfoId,
        Type = info.Type,
        BankName = info.BankName,
        BankAccountNumber = info.BankAccountNumber,
        RegisteredAddress = info.RegisteredAddress,
        RegisteredPhone = info.RegisteredPhone,
    };

    public CreateInvoiceInfoRequest ToCreate(string billingAccountId) =>
        new() { BillingAccountId = billingAccountId, InvoiceInfo = ToInfo() };

    /// <summary>Every field is sent: switching away from VAT special clears the bank data, which no other type keeps.</summary>
    public UpdateInvoiceInfoRequest ToUpdate()
    {
        var request = new UpdateInvoiceInfoRequest { InvoiceInfo = ToInfo(), UpdateMask = new FieldMask() };
        request.InvoiceInfo.InvoiceInfoId = InvoiceInfoId ?? "";
        request.UpdateMask.Paths.AddRange(UpdatablePaths);
        return request;
    }

    private InvoiceInfo ToInfo() => NeedsBankDetails
        ? new InvoiceInfo { Type = Type, BankName = BankName, BankAccountNumber = BankAccountNumber, RegisteredAddress = RegisteredAddress, RegisteredPhone = RegisteredPhone }
        : new InvoiceInfo { Type = Type };
}
