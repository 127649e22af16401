namespace Guance.Billing.BillingAccounts;

/// <summary>The state of an enterprise certification (values equal the contract's).</summary>
public enum CertificationState
{
    Pending = 1,
    Approved = 2,
    Rejected = 3,
}

/// <summary>An operator's decision on a pending certification (values equal the contract's).</summary>
public enum CertificationDecision
{
    Approve = 1,
    Reject = 2,
}

/// <summary>
/// One submission of an enterprise (real-name) certification. Submissions are kept, so the history
/// stays; at most one per account is pending or approved at a time (a unique index says so too).
/// </summary>
public sealed class EnterpriseCertification
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }
    public required string EnterpriseName { get; init; }

    /// <summary>The unified social credit code, upper case.</summary>
    public required string TaxpayerId { get; init; }

    public CertificationState State { get; set; }
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? RejectReason { get; set; }

    /// <summary>Whether two approved certifications name the same enterprise (change of binding needs it).</summary>
    public bool IsSameEnterpriseAs(EnterpriseCertification other) =>
        State == CertificationState.Approved && other.State == CertificationState.Approved
        && TaxpayerId == other.TaxpayerId
        && EnterpriseName == other.EnterpriseName;
}
