namespace Guance.Billing.Invoices;

/// <summary>The kind of fapiao (values equal the contract's).</summary>
public enum InvoiceType
{
    VatOrdinary = 1,
    VatSpecial = 2,
    ElectronicOrdinary = 3,
}

/// <summary>Where an invoice stands (values equal the contract's); docs/domain.md §8 "Invoices".</summary>
public enum InvoiceState
{
    Requested = 1,
    Issued = 2,
    Mailed = 3,
    Cancelled = 4,
    Rejected = 5,
    Reversed = 6,
}

/// <summary>What an invoice line invoices (values equal the contract's).</summary>
public enum InvoiceSourceKind
{
    /// <summary>The cash part of a monthly bill.</summary>
    MonthlyBill = 1,

    /// <summary>A prepaid card bought in the billing center, at its face value.</summary>
    PrepaidCardPurchase = 2,
}

public static class InvoiceTypes
{
    /// <summary>Paper invoices (VAT ordinary and special) are mailed; electronic ones go to an e-mail address.</summary>
    public static bool IsPaper(this InvoiceType type) => type != InvoiceType.ElectronicOrdinary;
}

public static class InvoiceStates
{
    /// <summary>The amount of an invoice in this state is consumed from its sources, waiting for the operator.</summary>
    public static bool IsPending(this InvoiceState state) => state == InvoiceState.Requested;

    /// <summary>The amount of an invoice in this state is invoiced (issued and not reversed).</summary>
    public static bool IsInvoiced(this InvoiceState state) => state is InvoiceState.Issued or InvoiceState.Mailed;

    /// <summary>The invoice was issued at some time (it may have been reversed since).</summary>
    public static bool WasIssued(this InvoiceState state) => state is InvoiceState.Issued or InvoiceState.Mailed or InvoiceState.Reversed;

    /// <summary>The lower-case name used in messages, for example <c>issued</c>.</summary>
    public static string Name(this InvoiceState state) => state.ToString().ToLowerInvariant();
}
