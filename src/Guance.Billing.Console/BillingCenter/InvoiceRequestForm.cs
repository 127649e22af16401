using System.Globalization;
using Guance.Billing.Client;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Formatting;
using Guance.Billing.V1;

namespace Guance.Billing.Console.BillingCenter;

/// <summary>One invoiceable source in the request form: picked or not, and the amount to take (empty for its whole remaining balance).</summary>
public sealed class SourcePick(InvoiceableSource source)
{
    public InvoiceableSource Source { get; } = source;

    public bool Picked { get; set; }

    /// <summary>The amount typed, in CNY; empty takes the whole remaining balance.</summary>
    public string Amount { get; set; } = "";
}

/// <summary>
/// An invoice request (docs/domain.md §8): sources with a remaining balance, one invoice information
/// and, for paper, a mailing address or, for electronic, an e-mail address.
/// </summary>
public sealed class InvoiceRequestForm
{
    /// <summary>The fields the form shows next to its inputs, as the host names them.</summary>
    public static readonly string[] Fields = ["invoice_info_id", "mailing_address_id", "email"];

    private readonly RequestIdentity _identity = new();

    public InvoiceRequestForm(IEnumerable<InvoiceableSource> sources) =>
        Picks = sources.Where(s => s.Remaining.ToDecimal() > 0).Select(s => new SourcePick(s)).ToList();

    /// <summary>The sources that can still be invoiced; the others have nothing left.</summary>
    public IReadOnlyList<SourcePick> Picks { get; }

    public string InvoiceInfoId { get; set; } = "";

    public string MailingAddressId { get; set; } = "";

    public string Email { get; set; } = "";

    /// <summary>VAT ordinary and VAT special invoices are paper and mailed; an electronic one is e-mailed.</summary>
    public static bool IsPaper(InvoiceType type) => type is InvoiceType.VatOrdinary or InvoiceType.VatSpecial;

    /// <summary>
    /// The field of <paramref name="pick"/> in the request ("sources[1]"): its position among the picked
    /// ones, which is how the host names it in a violation; null when it is not picked.
    /// </summary>
    public string? FieldOf(SourcePick pick)
    {
        var index = Picks.Where(p => p.Picked).ToList().IndexOf(pick);
        return index < 0 ? null : string.Create(CultureInfo.InvariantCulture, $"sources[{index}]");
    }

    /// <summary>The amount the invoice will have: each pick's amount or, when empty, its whole remaining balance; null while an amount does not parse.</summary>
    public decimal? Total()
    {
        var total = 0m;
        foreach (var pick in Picks.Where(p => p.Picked))
        {
            if (pick.Amount.Trim().Length == 0)
            {
                total += pick.Source.Remaining.ToDecimal();
            }
            else if (MoneyAmounts.TryParse(pick.Amount, MoneyAmounts.Cny, out var money, out _))
            {
                total += money.ToDecimal();
            }
            else
            {
                return null;
            }
        }
        return total;
    }

    /// <summary>
    /// The request for <paramref name="type"/> (the chosen information's type), or the error that keeps
    /// it from being sent: an amount that does not parse; everything else the host judges.
    /// </summary>
    public (RequestInvoiceRequest? Request, ConsoleError? Error) Build(string billingAccountId, InvoiceType type)
    {
        if (!Picks.Any(p => p.Picked))
        {
            return (null, ConsoleError.Local("sources", "Pick at least one monthly bill or prepaid card to invoice."));
        }
        var request = new RequestInvoiceRequest
        {
            BillingAccountId = billingAccountId,
            InvoiceInfoId = InvoiceInfoId,
            MailingAddressId = IsPaper(type) ? MailingAddressId : "",
            Email = IsPaper(type) ? "" : Email.Trim(),
        };
        foreach (var pick in Picks.Where(p => p.Picked))
        {
            var selection = new InvoiceSourceSelection { SourceId = pick.Source.SourceId };
            if (pick.Amount.Trim().Length > 0)
            {
                if (!MoneyAmounts.TryParse(pick.Amount, MoneyAmounts.Cny, out var amount, out var problem))
                {
                    return (null, ConsoleError.Local(FieldOf(pick) + ".amount", problem));
                }
                if (amount.ToDecimal() <= 0)
                {
                    return (null, ConsoleError.Local(FieldOf(pick) + ".amount", "Give an amount above zero, or leave it empty for all that remains."));
                }
                if (amount.ToDecimal() > pick.Source.Remaining.ToDecimal())
                {
                    return (null, ConsoleError.Local(FieldOf(pick) + ".amount", $"More than the {Display.Money(pick.Source.Remaining)} that remains to invoice."));
                }
                selection.Amount = amount;
            }
            request.Sources.Add(selection);
        }
        request.RequestId = _identity.For(request);
        return (request, null);
    }

    /// <summary>The request was answered: the next one is a new request.</summary>
    public void Sent() => _identity.Answered();
}
