using Guance.Billing.V1;

namespace Guance.Billing.Console.Formatting;

/// <summary>The words for the enums of invoices, tickets and the billing account.</summary>
public static partial class Names
{
    public static string Of(BindingCodeState state) => state switch
    {
        BindingCodeState.Unused => "Unused",
        BindingCodeState.Used => "Used",
        BindingCodeState.Expired => "Expired",
        BindingCodeState.Revoked => "Revoked",
        _ => "",
    };

    public static string Of(InvoiceType type) => type switch
    {
        InvoiceType.VatOrdinary => "VAT ordinary (paper)",
        InvoiceType.VatSpecial => "VAT special (paper)",
        InvoiceType.ElectronicOrdinary => "Electronic ordinary",
        _ => "",
    };

    public static string Of(InvoiceState state) => state switch
    {
        InvoiceState.Requested => "Requested",
        InvoiceState.Issued => "Issued",
        InvoiceState.Mailed => "Mailed",
        InvoiceState.Cancelled => "Cancelled",
        InvoiceState.Rejected => "Rejected",
        InvoiceState.Reversed => "Reversed",
        _ => "",
    };

    public static string Of(InvoiceSourceKind kind) => kind switch
    {
        InvoiceSourceKind.MonthlyBill => "Monthly bill",
        InvoiceSourceKind.PrepaidCardPurchase => "Prepaid card purchase",
        _ => "",
    };

    public static string Of(TicketType type) => type switch
    {
        TicketType.BillingQuestion => "Billing question",
        TicketType.Invoice => "Invoice",
        TicketType.RechargeAndPayment => "Recharge and payment",
        TicketType.SettlementMethod => "Settlement method",
        TicketType.AccountAndCertification => "Account and certification",
        TicketType.PurchaseInquiry => "Purchase inquiry",
        TicketType.BugReport => "Bug report",
        TicketType.FeatureRequest => "Feature request",
        TicketType.Other => "Other",
        _ => "",
    };

    public static string Of(TicketState state) => state switch
    {
        TicketState.WaitingForAssignment => "Waiting for assignment",
        TicketState.WaitingForFeedback => "Waiting for feedback",
        TicketState.FeedbackProvided => "Feedback provided",
        TicketState.Closed => "Closed",
        TicketState.Cancelled => "Cancelled",
        _ => "",
    };

    public static string Of(TicketAuthor author) => author switch
    {
        TicketAuthor.Submitter => "You",
        TicketAuthor.Support => "Support",
        _ => "",
    };

    public static string Of(CertificationState state) => state switch
    {
        CertificationState.Pending => "Waiting for review",
        CertificationState.Approved => "Approved",
        CertificationState.Rejected => "Rejected",
        _ => "Not submitted",
    };

    public static string Of(CloudProvider provider) => provider switch
    {
        CloudProvider.AlibabaCloud => "Alibaba Cloud",
        CloudProvider.Aws => "AWS",
        CloudProvider.HuaweiCloud => "Huawei Cloud",
        _ => "",
    };

    /// <summary>A monthly bill "2026-10" or a card by its face value (what a card's purchase may invoice) and day, as a source of invoices.</summary>
    public static string Of(InvoiceableSource source) => source.Kind == InvoiceSourceKind.MonthlyBill
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Monthly bill {source.Year:D4}-{source.Month:D2}")
        : Card(source.Invoiceable, source.SinceTime);
}
