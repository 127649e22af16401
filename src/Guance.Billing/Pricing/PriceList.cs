using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Pricing;

/// <summary>
/// The prices of a region from <see cref="EffectiveFrom"/> on, until the region's next list. A day is
/// rated with the list in force on it (the latest effective on or before it). Lists are never edited:
/// a price change is a new list for a future day, so no day already billed is ever priced again.
/// </summary>
public sealed class PriceList
{
    public required string Id { get; init; }
    public PriceRegion Region { get; init; }

    /// <summary>The first billing day the list rates.</summary>
    public DateOnly EffectiveFrom { get; init; }

    public string Description { get; init; } = "";

    /// <summary>The list it was copied from, if any.</summary>
    public string? BasePriceListId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// One price of a list: the unit price of an item per price unit per day, in micro-CNY, at one
/// retention (0 for items whose price does not depend on retention).
/// </summary>
public sealed class PriceListEntry
{
    public required string PriceListId { get; init; }
    public BillingItem Item { get; init; }
    public int RetentionDays { get; init; }
    public long UnitPriceMicros { get; init; }
}
