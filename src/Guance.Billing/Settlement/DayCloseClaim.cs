namespace Guance.Billing.Settlement;

/// <summary>The two halves of a day close that hosts share by claiming batches.</summary>
public enum DayClosePhase
{
    /// <summary>Rating: a batch is a range of workspace ids.</summary>
    Rating = 1,

    /// <summary>Charging: a batch is a range of billing-account ids.</summary>
    Charging = 2,
}

/// <summary>
/// One batch of a site-day's close that a host claims before doing it, so that hosts closing the same
/// day share the work instead of racing for it (see <see cref="DayCloseClaims"/>). The batch covers the
/// keys (workspace ids when rating, billing-account ids when charging) after <see cref="AfterKey"/> up to
/// and including <see cref="LastKey"/>. A holder keeps it until <see cref="LeaseUntil"/>; a host that dies
/// leaves its lease to expire, and another host takes the batch over (every write of a batch is idempotent).
/// </summary>
public sealed class DayCloseClaim
{
    public required string SiteCode { get; init; }
    public DateOnly BillingDay { get; init; }
    public DayClosePhase Phase { get; init; }

    /// <summary>The batch's number in the phase's plan, from 0 in key order.</summary>
    public int Batch { get; init; }

    /// <summary>The batch covers keys greater than this one ("" for the first batch).</summary>
    public required string AfterKey { get; init; }

    /// <summary>The batch's last key, included.</summary>
    public required string LastKey { get; init; }

    /// <summary>Who holds the batch (host and run), or who completed it; null until first claimed.</summary>
    public string? Holder { get; set; }

    /// <summary>Until when the holder has it; null when nobody holds it.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>How often the batch was claimed (more than once: taken over from a host whose lease expired).</summary>
    public int Claims { get; set; }

    /// <summary>When the batch was done; null until then.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}
