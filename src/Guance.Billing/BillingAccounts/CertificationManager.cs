using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.BillingAccounts;

/// <summary>
/// Enterprise (real-name) certification: the account submits an enterprise name and its unified
/// social credit code; an operator approves it or rejects it with a reason; a rejected one may be
/// submitted again. An approved certification stays (changing the enterprise goes through support).
/// Change of binding needs both accounts approved for the same enterprise (<see cref="SameEnterpriseAsync"/>).
/// </summary>
public sealed class CertificationManager(BillingDbContext db, BillingAccountAccess access, NotificationOutbox outbox, TimeProvider clock)
{
    private const int MaxEnterpriseName = 100;
    private const int MaxRejectReason = 500;

    public async Task<EnterpriseCertification> SubmitAsync(Caller caller, string billingAccountId, string enterpriseName, string taxpayerId, CancellationToken cancellationToken)
    {
        var name = enterpriseName?.Trim();
        var code = UnifiedSocialCreditCode.Normalize(taxpayerId);
        var validator = new RequestValidator()
            .Text(name, "enterprise_name", MaxEnterpriseName)
            .Check(string.IsNullOrEmpty(name) || name.Length >= 2, "enterprise_name", "must be the enterprise's registered name, 2 to 100 characters");
        if (code.Length == 0)
        {
            validator.Check(false, "taxpayer_id", "is required");
        }
        else if (!UnifiedSocialCreditCode.HasValidFormat(code))
        {
            validator.Check(false, "taxpayer_id", "must be a unified social credit code: 18 digits and capital letters other than I, O, S, V and Z");
        }
        else
        {
            validator.Check(UnifiedSocialCreditCode.IsValid(code), "taxpayer_id", "has a wrong check character (the 18th): it is not a valid unified social credit code");
        }
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Manage, cancellationToken, validator);

        var open = await db.EnterpriseCertifications.AsNoTracking()
            .Where(c => c.BillingAccountId == billingAccountId && (c.State == CertificationState.Pending || c.State == CertificationState.Approved))
            .FirstOrDefaultAsync(cancellationToken);
        if (open is not null)
        {
            throw Open(open);
        }
        var certification = new EnterpriseCertification
        {
            Id = Ids.New("cert", clock),
            BillingAccountId = billingAccountId,
            EnterpriseName = name!,
            TaxpayerId = code,
            State = CertificationState.Pending,
            SubmittedAt = clock.GetUtcNow(),
        };
        db.EnterpriseCertifications.Add(certification);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            var winner = await db.EnterpriseCertifications.AsNoTracking()
                .FirstAsync(c => c.BillingAccountId == billingAccountId && (c.State == CertificationState.Pending || c.State == CertificationState.Approved), cancellationToken);
            throw Open(winner);
        }
        return certification;
    }

    /// <summary>Approves or rejects the account's pending certification. Operator only.</summary>
    public async Task<EnterpriseCertification> ReviewAsync(Caller caller, string billingAccountId, CertificationDecision decision, string? rejectReason, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Operate);
        var reason = rejectReason?.Trim();
        var validator = new RequestValidator().Defined(decision, "decision");
        if (decision == CertificationDecision.Reject)
        {
            validator.Text(reason, "reject_reason", MaxRejectReason);
        }
        else
        {
            validator.Check(string.IsNullOrEmpty(reason), "reject_reason", "must be empty when approving");
        }
        var account = await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Operate, cancellationToken, validator);

        var now = clock.GetUtcNow();
        var pending = await db.EnterpriseCertifications.AsNoTracking()
            .FirstOrDefaultAsync(c => c.BillingAccountId == billingAccountId && c.State == CertificationState.Pending, cancellationToken)
            ?? throw NotPending(billingAccountId);
        var state = decision == CertificationDecision.Approve ? CertificationState.Approved : CertificationState.Rejected;
        var storedReason = decision == CertificationDecision.Reject ? reason : null;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var reviewed = await db.EnterpriseCertifications
            .Where(c => c.Id == pending.Id && c.State == CertificationState.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.State, state)
                .SetProperty(c => c.ReviewedAt, now)
                .SetProperty(c => c.RejectReason, storedReason), cancellationToken);
        if (reviewed == 0)
        {
            throw NotPending(billingAccountId); // another operator reviewed it first
        }
        outbox.Add(state == CertificationState.Approved
            ? new NotificationDraft(NotificationKind.CertificationApproved, billingAccountId, account.Email,
                new NoticeValues().Text("account", account.Username).Text("enterprise", pending.EnterpriseName).Text("taxpayer_id", pending.TaxpayerId),
                pending.Id, "certification_reviewed:" + pending.Id)
            : new NotificationDraft(NotificationKind.CertificationRejected, billingAccountId, account.Email,
                new NoticeValues().Text("account", account.Username).Text("enterprise", pending.EnterpriseName).Text("reason", reason ?? ""),
                pending.Id, "certification_reviewed:" + pending.Id), now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        pending.State = state;
        pending.ReviewedAt = now;
        pending.RejectReason = storedReason;
        return pending;
    }

    /// <summary>The account's approved certification, or null.</summary>
    public Task<EnterpriseCertification?> ApprovedAsync(string billingAccountId, CancellationToken cancellationToken) =>
        db.EnterpriseCertifications.AsNoTracking()
            .FirstOrDefaultAsync(c => c.BillingAccountId == billingAccountId && c.State == CertificationState.Approved, cancellationToken);

    /// <summary>Whether both accounts carry an approved certification of the same enterprise (name and taxpayer ID).</summary>
    public async Task<bool> SameEnterpriseAsync(string billingAccountId, string otherBillingAccountId, CancellationToken cancellationToken)
    {
        var one = await ApprovedAsync(billingAccountId, cancellationToken);
        var other = await ApprovedAsync(otherBillingAccountId, cancellationToken);
        return one is not null && other is not null && one.IsSameEnterpriseAs(other);
    }

    private static BillingException Open(EnterpriseCertification open) => open.State == CertificationState.Pending
        ? Errors.Precondition(ErrorReasons.CertificationPending, $"certifications/{open.Id}", "A certification is waiting for review; wait for it before submitting another.")
        : Errors.Precondition(ErrorReasons.CertificationApproved, $"certifications/{open.Id}", "The account is certified already; changing the enterprise goes through support.");

    private static BillingException NotPending(string billingAccountId) =>
        Errors.Precondition(ErrorReasons.CertificationNotPending, $"billing_accounts/{billingAccountId}", "The account has no certification waiting for review.");
}
