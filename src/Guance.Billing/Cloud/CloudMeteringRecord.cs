using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Cloud;

/// <summary>Where a metering record stands (values equal the contract's).</summary>
public enum MeteringRecordStatus
{
    /// <summary>Formed, not sent yet.</summary>
    Pending = 1,

    /// <summary>The marketplace accepted it.</summary>
    Sent = 2,

    /// <summary>The marketplace refused it (its reason is kept); it is listed again to be resent.</summary>
    Failed = 3,

    /// <summary>
    /// AWS only: not accepted by <see cref="CloudMeteringRecord.AwsSendBy"/> after its hour, so AWS would refuse it, and a
    /// batch with it as a whole. No longer listed for sending; an operator reissues it (or acknowledges it sent, when
    /// AWS's reports show it was metered).
    /// </summary>
    Expired = 4,

    /// <summary>Its lines went to another record (<see cref="CloudMeteringRecord.ReplacedBy"/>): an operator reissued it, or AWS accepted the record it replaced after all.</summary>
    Reissued = 5,
}

/// <summary>
/// What one cloud account owes for one item on one billing day, merged over every site and workspace
/// that settles through it: the metering record a marketplace turns into the customer's cloud bill.
/// Its id is derived from (cloud account, day, item, part), and its content never changes once
/// formed, so a resend is identical and the marketplace's duplicate check accepts it. Part 0 is the
/// day's record; a later part carries lines that arrived after it was formed (a workspace that
/// moved to the cloud account before its own site closed the day). Amount in cents, which is also
/// the metered quantity (one unit = 0.01 CNY).
/// </summary>
public sealed class CloudMeteringRecord
{
    /// <summary>AWS takes no usage record 6 hours or more after the hour it reports.</summary>
    public static readonly TimeSpan AwsWindow = TimeSpan.FromHours(6);

    /// <summary>The host stops sending an AWS record this long after its hour: 10 minutes before AWS would refuse it, for a send under way and the clocks' skew.</summary>
    public static readonly TimeSpan AwsSendBy = AwsWindow - TimeSpan.FromMinutes(10);

    public required string Id { get; init; }
    public CloudProvider Provider { get; init; }
    public required string CloudAccountId { get; init; }
    public required string BillingAccountId { get; init; }

    /// <summary>The customer's account at the cloud.</summary>
    public required string ProviderAccountId { get; init; }

    /// <summary>The marketplace instance (Alibaba, Huawei) or product/customer (AWS).</summary>
    public required string MarketplaceInstanceId { get; init; }

    public DateOnly BillingDay { get; init; }
    public BillingItem Item { get; init; }
    public int Part { get; init; }
    public long Amount { get; init; }

    /// <summary>The hour the record reports (its formation, to the hour): fixed, so that a resend is identical.</summary>
    public DateTimeOffset UsageTime { get; init; }

    public MeteringRecordStatus Status { get; set; }
    public int Attempts { get; set; }

    /// <summary>The marketplace's reason of the last failure.</summary>
    public string? FailureReason { get; set; }

    /// <summary>
    /// The record that meters its quantity instead: set by a reissue (on the expired record), or on a replacement
    /// withdrawn because AWS accepted the expired record after all. A record sent with it set was metered twice.
    /// </summary>
    public string? ReplacedBy { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}
