using Guance.Billing.Usage;

namespace Guance.Billing.Alerts;

/// <summary>A high-consumption threshold of one item of a workspace (cents): a daily bill line above it notifies.</summary>
public sealed class ConsumptionAlert
{
    public required string WorkspaceId { get; init; }
    public BillingItem Item { get; init; }
    public long Threshold { get; set; }
    public string? UpdatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// That an item of a workspace passed its threshold on a day: unique per workspace, day and item, so
/// that the Owner and Administrators are told once however often the day close runs.
/// </summary>
public sealed class ConsumptionAlertHit
{
    public required string WorkspaceId { get; init; }
    public DateOnly BillingDay { get; init; }
    public BillingItem Item { get; init; }
    public long Amount { get; init; }
    public long Threshold { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
