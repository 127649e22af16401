namespace Guance.Billing.Invoices;

/// <summary>Invoice information as the contract carries it, before validation.</summary>
public sealed record InvoiceInfoInput(InvoiceType Type, string? BankName, string? BankAccountNumber, string? RegisteredAddress, string? RegisteredPhone);

/// <summary>A mailing address as the contract carries it, before validation.</summary>
public sealed record MailingAddressInput(string? Recipient, string? Phone, string? Email, string? Address);
