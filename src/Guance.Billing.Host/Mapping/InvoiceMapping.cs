using Guance.Billing.Invoices;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Invoices, their information, addresses and sources as messages of the contract.</summary>
public static class InvoiceMapping
{
    public static V1.InvoiceInfo ToMessage(this InvoiceInfo info) => new()
    {
        InvoiceInfoId = info.Id,
        BillingAccountId = info.BillingAccountId,
        Type = (V1.InvoiceType)info.Type,
        BankName = info.BankName,
        BankAccountNumber = info.BankAccountNumber,
        RegisteredAddress = info.RegisteredAddress,
        RegisteredPhone = info.RegisteredPhone,
        CreateTime = info.CreatedAt.ToTimestamp(),
        UpdateTime = info.UpdatedAt.ToTimestamp(),
    };

    public static InvoiceInfoInput ToInput(this V1.InvoiceInfo? info) =>
        info is null
            ? new InvoiceInfoInput(0, null, null, null, null)
            : new InvoiceInfoInput((InvoiceType)info.Type, info.BankName, info.BankAccountNumber, info.RegisteredAddress, info.RegisteredPhone);

    public static V1.MailingAddress ToMessage(this MailingAddress address) => new()
    {
        MailingAddressId = address.Id,
        BillingAccountId = address.BillingAccountId,
        Recipient = address.Recipient,
        Phone = address.Phone,
        Email = address.Email,
        Address = address.Address,
        CreateTime = address.CreatedAt.ToTimestamp(),
        UpdateTime = address.UpdatedAt.ToTimestamp(),
    };

    public static MailingAddressInput ToInput(this V1.MailingAddress? address) =>
        address is null ? new MailingAddressInput(null, null, null, null) : new MailingAddressInput(address.Recipient, address.Phone, address.Email, address.Address);

    public static V1.InvoiceableSource ToMessage(this InvoiceSourceBalance source) => new()
    {
        SourceId = source.SourceId,
        Kind = (V1.InvoiceSourceKind)source.Kind,
        Year = source.Year,
        Month = source.Month,
        Invoiceable = source.Invoiceable.ToMoney(),
        Pending = source.Pending.ToMoney(),
        Invoiced = source.Invoiced.ToMoney(),
        Remaining = source.Remaining.ToMoney(),
        SinceTime = source.Since.ToTimestamp(),
    };

    public static V1.Invoice ToMessage(this InvoiceView view)
    {
        var message = view.Invoice.ToMessage();
        message.Lines.Add(view.Lines.Select(l => new V1.InvoiceLine { SourceId = l.SourceId, Kind = (V1.InvoiceSourceKind)l.SourceKind, Amount = l.Amount.ToMoney() }));
        return message;
    }

    public static V1.Invoice ToMessage(this Invoice invoice) => new()
    {
        InvoiceId = invoice.Id,
        BillingAccountId = invoice.BillingAccountId,
        State = (V1.InvoiceState)invoice.State,
        Type = (V1.InvoiceType)invoice.Type,
        Amount = invoice.Amount.ToMoney(),
        Title = invoice.Title,
        TaxpayerId = invoice.TaxpayerId,
        InvoiceInfoId = invoice.InvoiceInfoId,
        BankName = invoice.BankName,
        BankAccountNumber = invoice.BankAccountNumber,
        RegisteredAddress = invoice.RegisteredAddress,
        RegisteredPhone = invoice.RegisteredPhone,
        MailingAddressId = invoice.MailingAddressId ?? "",
        Recipient = invoice.Recipient,
        Phone = invoice.Phone,
        Address = invoice.Address,
        Email = invoice.Email,
        RequestId = invoice.RequestId,
        RequestTime = invoice.RequestedAt.ToTimestamp(),
        InvoiceNumber = invoice.InvoiceNumber ?? "",
        IssueDate = invoice.IssueDate?.ToMessage(),
        IssueTime = invoice.IssuedAt.ToTimestamp(),
        DocumentSize = invoice.DocumentSize,
        RejectReason = invoice.RejectReason ?? "",
        Carrier = invoice.Carrier ?? "",
        TrackingNumber = invoice.TrackingNumber ?? "",
        MailTime = invoice.MailedAt.ToTimestamp(),
        RedLetterNumber = invoice.RedLetterNumber ?? "",
        ReverseReason = invoice.ReverseReason ?? "",
        CloseTime = invoice.ClosedAt.ToTimestamp(),
    };

    public static V1.InvoiceProblem ToMessage(this InvoiceProblem problem) => new()
    {
        Kind = (V1.InvoiceProblemKind)problem.Kind,
        Subject = problem.Subject,
        Description = problem.Description,
    };
}
