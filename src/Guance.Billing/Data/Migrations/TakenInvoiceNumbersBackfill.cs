namespace Guance.Billing.Data.Migrations;

/// <summary>
/// The TakenInvoiceNumbers migration's backfill: the numbers of the invoices issued and reversed before it, in upper
/// case. Numbers stored before they were kept in upper case may repeat in another case, or as a red-letter number:
/// the first issued keeps the number, and the invoice numbers come before the red-letter ones (the check before this
/// table refused both repeats, so only data older than that check has them). Frozen here: it must keep the meaning
/// it had when the migration was written.
/// </summary>
internal static class TakenInvoiceNumbersBackfill
{
    public const string Sqlite = """
        INSERT INTO taken_invoice_numbers (number, invoice_id, red_letter)
        SELECT upper(invoice_number), id, 0 FROM invoices WHERE invoice_number IS NOT NULL ORDER BY issued_at, id
        ON CONFLICT DO NOTHING;
        INSERT INTO taken_invoice_numbers (number, invoice_id, red_letter)
        SELECT upper(red_letter_number), id, 1 FROM invoices WHERE red_letter_number IS NOT NULL ORDER BY closed_at, id
        ON CONFLICT DO NOTHING;
        """;

    public const string Postgres = """
        INSERT INTO taken_invoice_numbers (number, invoice_id, red_letter)
        SELECT upper(invoice_number), id, false FROM invoices WHERE invoice_number IS NOT NULL ORDER BY issued_at, id
        ON CONFLICT DO NOTHING;
        INSERT INTO taken_invoice_numbers (number, invoice_id, red_letter)
        SELECT upper(red_letter_number), id, true FROM invoices WHERE red_letter_number IS NOT NULL ORDER BY closed_at, id
        ON CONFLICT DO NOTHING;
        """;
}
