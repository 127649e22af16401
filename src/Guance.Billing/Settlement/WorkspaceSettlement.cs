namespace Guance.Billing.Settlement;

/// <summary>
/// How a commercial workspace settles, written at the upgrade: its method and cloud account, the
/// operator's arbitrary selection, the cloud subscription's state, and the arrears countdown of the
/// billing account it pays through. The billing account itself is the <c>WorkspaceBinding</c>.
/// </summary>
public sealed class WorkspaceSettlement
{
    public required string WorkspaceId { get; init; }
    public SettlementMethod Method { get; set; }

    /// <summary>The cloud account of a cloud method; null for the billing center.</summary>
    public string? CloudAccountId { get; set; }

    /// <summary>An operator let the workspace choose any method.</summary>
    public bool ArbitrarySelection { get; set; }

    /// <summary>
    /// When the marketplace subscription of the current cloud account was cancelled: only then may the
    /// workspace leave it (recorded by CancelCloudSubscription, Cloud/CloudSubscriptions).
    /// </summary>
    public DateTimeOffset? CloudSubscriptionCancelledAt { get; set; }

    /// <summary>When the Owner last changed the method (the upgrade does not count).</summary>
    public DateTimeOffset? MethodChangedAt { get; set; }

    /// <summary>
    /// When the workspace is locked: the end of the 14-day settlement period of arrears of its billing
    /// account (billing-center method only); null without arrears. Usage is refused from this instant on.
    /// </summary>
    public DateTimeOffset? LockAt { get; set; }

    /// <summary>When the warning 3 days before <see cref="LockAt"/> was written to the outbox.</summary>
    public DateTimeOffset? LockWarningSentAt { get; set; }

    /// <summary>When the lock at <see cref="LockAt"/> was announced by the arrears job.</summary>
    public DateTimeOffset? LockedNoticeSentAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Bumped on every change, so that two concurrent writers cannot both win.</summary>
    public long Version { get; set; }

    public bool IsLocked(DateTimeOffset now) => LockAt is { } at && at <= now;
}
