using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Invoices;

/// <summary>
/// A billing account's invoice information and mailing addresses (docs/domain.md §8): created,
/// changed and removed by the account's own session; read by it or the operator; at most
/// <see cref="MaxPerAccount"/> of each. Invoice information needs the approved certification, whose
/// enterprise name and taxpayer id are the invoices' title and taxpayer id.
/// </summary>
public sealed class InvoiceProfileManager(BillingDbContext db, BillingAccountAccess access, InvoiceWrites writes, TimeProvider clock)
{
    public const int MaxPerAccount = 20;
    public const int MaxBankName = 100;
    public const int MaxBankAccountNumber = 40;
    public const int MaxRegisteredAddress = 200;
    public const int MaxRecipient = 64;
    public const int MaxAddress = 300;

    private static readonly string[] InfoFields = ["type", "bank_name", "bank_account_number", "registered_address", "registered_phone"];
    private static readonly string[] AddressFields = ["recipient", "phone", "email", "address"];

    public async Task<InvoiceInfo> CreateInfoAsync(Caller caller, string billingAccountId, InvoiceInfoInput input, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator();
        ValidateInfo(validator, input);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Consent, cancellationToken, validator);
        return await writes.RunAsync(billingAccountId, async now =>
        {
            await RequireCertificationAsync(db, billingAccountId, cancellationToken);
            if (await db.InvoiceInfos.CountAsync(i => i.BillingAccountId == billingAccountId, cancellationToken) >= MaxPerAccount)
            {
                throw Errors.Precondition(ErrorReasons.TooManyInvoiceInfos, $"billing_accounts/{billingAccountId}",
                    $"A billing account keeps at most {MaxPerAccount} sets of invoice information; delete one first.");
            }
            var info = new InvoiceInfo { Id = Ids.New("ii", clock), BillingAccountId = billingAccountId, CreatedAt = now, UpdatedAt = now };
            Apply(info, input, InfoFields);
            db.InvoiceInfos.Add(info);
            return info;
        }, cancellationToken);
    }

    public async Task<InvoiceInfo> UpdateInfoAsync(
        Caller caller, string invoiceInfoId, InvoiceInfoInput input, IReadOnlyCollection<string> updateMask, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        var validator = new RequestValidator().Id(invoiceInfoId, "invoice_info.invoice_info_id", "ii");
        CheckMask(validator, updateMask, InfoFields);
        validator.ThrowIfInvalid();
        var found = await FindInfoAsync(caller, invoiceInfoId, cancellationToken);
        return await writes.RunAsync(found.BillingAccountId, async now =>
        {
            var info = await db.InvoiceInfos.FirstOrDefaultAsync(i => i.Id == invoiceInfoId, cancellationToken)
                ?? throw Errors.NotFound(ResourceTypes.InvoiceInfo, invoiceInfoId);
            var merged = new InvoiceInfoInput(
                updateMask.Contains("type") ? input.Type : info.Type,
                updateMask.Contains("bank_name") ? input.BankName : info.BankName,
                updateMask.Contains("bank_account_number") ? input.BankAccountNumber : info.BankAccountNumber,
                updateMask.Contains("registered_address") ? input.RegisteredAddress : info.RegisteredAddress,
                updateMask.Contains("registered_phone") ? input.RegisteredPhone : info.RegisteredPhone);
            var result = new RequestValidator();
            ValidateInfo(result, merged);
            result.ThrowIfInvalid();
            Apply(info, merged, InfoFields);
            info.UpdatedAt = now;
            return info;
        }, cancellationToken);
    }

    public async Task DeleteInfoAsync(Caller caller, string invoiceInfoId, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        new RequestValidator().Id(invoiceInfoId, "invoice_info_id", "ii").ThrowIfInvalid();
        var found = await FindInfoAsync(caller, invoiceInfoId, cancellationToken);
        // Invoices copied what they needed when requested: removing the information changes none of them.
        await writes.RunAsync(found.BillingAccountId, async _ =>
            await db.InvoiceInfos.Where(i => i.Id == invoiceInfoId).ExecuteDeleteAsync(cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<InvoiceInfo>> ListInfosAsync(Caller caller, string billingAccountId, CancellationToken cancellationToken)
    {
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken);
        return await db.InvoiceInfos.AsNoTracking().Where(i => i.BillingAccountId == billingAccountId).OrderBy(i => i.Id).ToListAsync(cancellationToken);
    }

    public async Task<MailingAddress> CreateAddressAsync(Caller caller, string billingAccountId, MailingAddressInput input, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator();
        ValidateAddress(validator, input, AddressFields);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Consent, cancellationToken, validator);
        return await writes.RunAsync(billingAccountId, async now =>
        {
            if (await db.MailingAddresses.CountAsync(a => a.BillingAccountId == billingAccountId, cancellationToken) >= MaxPerAccount)
            {
                throw Errors.Precondition(ErrorReasons.TooManyMailingAddresses, $"billing_accounts/{billingAccountId}",
                    $"A billing account keeps at most {MaxPerAccount} mailing addresses; delete one first.");
            }
            var address = new MailingAddress
            {
                Id = Ids.New("ma", clock), BillingAccountId = billingAccountId, Recipient = "", Phone = "", Email = "", Address = "",
                CreatedAt = now, UpdatedAt = now,
            };
            Apply(address, input, AddressFields);
            db.MailingAddresses.Add(address);
            return address;
        }, cancellationToken);
    }

    public async Task<MailingAddress> UpdateAddressAsync(
        Caller caller, string mailingAddressId, MailingAddressInput input, IReadOnlyCollection<string> updateMask, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        var validator = new RequestValidator().Id(mailingAddressId, "mailing_address.mailing_address_id", "ma");
        if (CheckMask(validator, updateMask, AddressFields))
        {
            ValidateAddress(validator, input, updateMask);
        }
        validator.ThrowIfInvalid();
        var found = await FindAddressAsync(caller, mailingAddressId, cancellationToken);
        return await writes.RunAsync(found.BillingAccountId, async now =>
        {
            var address = await db.MailingAddresses.FirstOrDefaultAsync(a => a.Id == mailingAddressId, cancellationToken)
                ?? throw Errors.NotFound(ResourceTypes.MailingAddress, mailingAddressId);
            Apply(address, input, updateMask);
            address.UpdatedAt = now;
            return address;
        }, cancellationToken);
    }

    public async Task DeleteAddressAsync(Caller caller, string mailingAddressId, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        new RequestValidator().Id(mailingAddressId, "mailing_address_id", "ma").ThrowIfInvalid();
        var found = await FindAddressAsync(caller, mailingAddressId, cancellationToken);
        await writes.RunAsync(found.BillingAccountId, async _ =>
            await db.MailingAddresses.Where(a => a.Id == mailingAddressId).ExecuteDeleteAsync(cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<MailingAddress>> ListAddressesAsync(Caller caller, string billingAccountId, CancellationToken cancellationToken)
    {
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken);
        return await db.MailingAddresses.AsNoTracking().Where(a => a.BillingAccountId == billingAccountId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The approved certification of the account, or FAILED_PRECONDITION <c>CERTIFICATION_REQUIRED</c>.</summary>
    internal static async Task<EnterpriseCertification> RequireCertificationAsync(BillingDbContext db, string billingAccountId, CancellationToken cancellationToken) =>
        await db.EnterpriseCertifications.AsNoTracking()
            .FirstOrDefaultAsync(c => c.BillingAccountId == billingAccountId && c.State == CertificationState.Approved, cancellationToken)
        ?? throw Errors.Precondition(ErrorReasons.CertificationRequired, $"billing_accounts/{billingAccountId}",
                "Invoices need an approved enterprise certification: its enterprise name and taxpayer id are the invoice's title and taxpayer id.")
            .With("billing_account_id", billingAccountId);

    private async Task<InvoiceInfo> FindInfoAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var info = await db.InvoiceInfos.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return info is null || !Sees(caller, info.BillingAccountId) ? throw Errors.NotFound(ResourceTypes.InvoiceInfo, id) : info;
    }

    private async Task<MailingAddress> FindAddressAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var address = await db.MailingAddresses.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return address is null || !Sees(caller, address.BillingAccountId) ? throw Errors.NotFound(ResourceTypes.MailingAddress, id) : address;
    }

    internal static bool Sees(Caller caller, string billingAccountId) =>
        caller.Kind == CallerKind.Operator || (caller.Kind == CallerKind.BillingAccount && caller.SubjectId == billingAccountId);

    private static bool CheckMask(RequestValidator validator, IReadOnlyCollection<string> updateMask, string[] fields)
    {
        validator.Check(updateMask.Count > 0, "update_mask", $"must name at least one field: {string.Join(", ", fields)}");
        if (!validator.Size(updateMask.Count, "update_mask", RequestValidator.MaxUpdateMaskPaths))
        {
            return false;
        }
        var valid = true;
        foreach (var path in updateMask)
        {
            var known = fields.Contains(path);
            valid &= known;
            validator.Check(known, "update_mask", $"'{Errors.Echo(path)}' cannot be updated; updatable fields are {string.Join(", ", fields)}");
        }
        return valid;
    }

    private static void ValidateInfo(RequestValidator validator, InvoiceInfoInput input)
    {
        const string prefix = "invoice_info.";
        validator.Defined(input.Type, prefix + "type");
        // docs/domain.md §8: a VAT special invoice carries the enterprise's bank and registration data.
        var special = input.Type == InvoiceType.VatSpecial;
        validator.Text(input.BankName?.Trim(), prefix + "bank_name", MaxBankName, required: special)
            .Text(input.BankAccountNumber?.Trim(), prefix + "bank_account_number", MaxBankAccountNumber, required: special)
            .Check(string.IsNullOrWhiteSpace(input.BankAccountNumber) || input.BankAccountNumber.Trim().All(c => char.IsAsciiDigit(c) || c is ' ' or '-'),
                prefix + "bank_account_number", "must be digits, spaces or '-'")
            .Text(input.RegisteredAddress?.Trim(), prefix + "registered_address", MaxRegisteredAddress, required: special)
            .Check(!special || !string.IsNullOrWhiteSpace(input.RegisteredPhone), prefix + "registered_phone", "is required")
            .Check(BillingAccountManager.IsPhone(input.RegisteredPhone), prefix + "registered_phone",
                "must be a phone number: 5 to 20 digits, spaces, '+', '-', '(' or ')'");
    }

    private static void ValidateAddress(RequestValidator validator, MailingAddressInput input, IEnumerable<string> fields)
    {
        const string prefix = "mailing_address.";
        foreach (var field in fields)
        {
            switch (field)
            {
                case "recipient":
                    validator.Text(input.Recipient?.Trim(), prefix + field, MaxRecipient);
                    break;
                case "phone":
                    validator.Check(!string.IsNullOrWhiteSpace(input.Phone), prefix + field, "is required")
                        .Check(BillingAccountManager.IsPhone(input.Phone), prefix + field, "must be a phone number: 5 to 20 digits, spaces, '+', '-', '(' or ')'");
                    break;
                case "email":
                    validator.Email(input.Email?.Trim(), prefix + field);
                    break;
                case "address":
                    validator.Text(input.Address?.Trim(), prefix + field, MaxAddress);
                    break;
            }
        }
    }

    private static void Apply(InvoiceInfo info, InvoiceInfoInput input, IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            switch (field)
            {
                case "type": info.Type = input.Type; break;
                case "bank_name": info.BankName = input.BankName?.Trim() ?? ""; break;
                case "bank_account_number": info.BankAccountNumber = input.BankAccountNumber?.Trim() ?? ""; break;
                case "registered_address": info.RegisteredAddress = input.RegisteredAddress?.Trim() ?? ""; break;
                case "registered_phone": info.RegisteredPhone = input.RegisteredPhone?.Trim() ?? ""; break;
            }
        }
    }

    private static void Apply(MailingAddress address, MailingAddressInput input, IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            switch (field)
            {
                case "recipient": address.Recipient = input.Recipient!.Trim(); break;
                case "phone": address.Phone = input.Phone!.Trim(); break;
                case "email": address.Email = input.Email!.Trim(); break;
                case "address": address.Address = input.Address!.Trim(); break;
            }
        }
    }
}
