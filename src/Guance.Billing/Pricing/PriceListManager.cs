using System.Globalization;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Pricing;

/// <summary>A price as a request carries it, before validation.</summary>
public sealed record PriceInput(int Item, int RetentionDays, MoneyInput? UnitPrice);

/// <summary>
/// Price lists: read by anyone (prices are public), created by operators for a future day only, so
/// that a day already billed (or already begun somewhere in the region) is never priced again.
/// </summary>
public sealed class PriceListManager(BillingDbContext db, TimeProvider clock)
{
    private const string PriceListsList = "price_lists";
    private const int MaxDescription = 256;

    /// <summary>The most prices a new list may give: every item at every retention tier is far fewer.</summary>
    public const int MaxPrices = 200;

    public async Task<(IReadOnlyList<PriceTable> Lists, string NextPageToken)> ListAsync(
        PriceRegion? region, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var list = $"{PriceListsList}:{(int?)region}";
        var validator = new RequestValidator()
            .Check(region is null || Enum.IsDefined(region.Value), "region", "must be PRICE_REGION_CN, PRICE_REGION_INTL or unspecified")
            .PageSize(pageSize)
            .PageToken(pageToken, list, out var after);
        (DateOnly Day, string Id) last = default;
        validator.Check(after is null || TryParseKey(after, out last), "page_token", Paging.InvalidTokenDescription).ThrowIfInvalid();

        var size = Paging.Size(pageSize);
        var query = db.PriceLists.AsNoTracking();
        if (region is { } only)
        {
            query = query.Where(p => p.Region == only);
        }
        if (after is not null)
        {
            query = query.Where(p => p.EffectiveFrom < last.Day || (p.EffectiveFrom == last.Day && string.Compare(p.Id, last.Id) < 0));
        }
        var fetched = await query.OrderByDescending(p => p.EffectiveFrom).ThenByDescending(p => p.Id).Take(size + 1).ToListAsync(cancellationToken);
        var (page, next) = Paging.Page(fetched, size, list, p => $"{p.EffectiveFrom:yyyy-MM-dd}/{p.Id}");
        return (await TablesAsync(page, cancellationToken), next);
    }

    /// <summary>GetPriceList: by id, or the list in force on a site on a day (today when unset).</summary>
    public async Task<PriceTable> GetAsync(string? priceListId, string? siteCode, DateOnly? day, bool dayIsValid, CancellationToken cancellationToken)
    {
        var byId = !string.IsNullOrEmpty(priceListId);
        var validator = new RequestValidator();
        Site? site = null;
        if (byId)
        {
            validator.Id(priceListId, "price_list_id", "pl")
                .Check(string.IsNullOrEmpty(siteCode), "site_code", "must be empty when price_list_id is given")
                .Check(day is null && dayIsValid, "day", "must be unset when price_list_id is given");
        }
        else
        {
            validator.Check(!string.IsNullOrEmpty(siteCode) && Sites.TryGet(siteCode, out site), "site_code",
                    "must be the code of a site from ListSites (or give price_list_id)")
                .Check(dayIsValid, "day", BillingDays.Rule);
        }
        validator.ThrowIfInvalid();
        if (byId)
        {
            var found = await db.PriceLists.AsNoTracking().FirstOrDefaultAsync(p => p.Id == priceListId, cancellationToken)
                ?? throw Errors.NotFound(ResourceTypes.PriceList, priceListId!);
            return (await TablesAsync([found], cancellationToken))[0];
        }
        var on = day ?? site!.BillingDayOf(clock.GetUtcNow());
        return await InForceAsync(site!.PriceRegion, on, cancellationToken)
            ?? throw Errors.Precondition(ErrorReasons.NoPriceList, $"sites/{site.Code}", $"No {site.PriceRegion.Name()} price list is in force on {on:yyyy-MM-dd} (site {site.Code}).");
    }

    /// <summary>The list in force on <paramref name="day"/> in <paramref name="region"/>: the latest effective on or before it.</summary>
    public async Task<PriceTable?> InForceAsync(PriceRegion region, DateOnly day, CancellationToken cancellationToken)
    {
        var list = await db.PriceLists.AsNoTracking()
            .Where(p => p.Region == region && p.EffectiveFrom <= day)
            .OrderByDescending(p => p.EffectiveFrom)
            .FirstOrDefaultAsync(cancellationToken);
        return list is null ? null : (await TablesAsync([list], cancellationToken))[0];
    }

    public async Task<PriceTable> CreateAsync(
        Caller caller, PriceRegion region, DateOnly? effectiveDay, IReadOnlyList<PriceInput> prices, string? basePriceListId, string? description,
        CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        var now = clock.GetUtcNow();
        var validator = new RequestValidator()
            .Defined(region, "region")
            .Text(description?.Trim(), "description", MaxDescription, required: false);
        if (effectiveDay is null)
        {
            validator.Check(false, "effective_day", BillingDays.Rule);
        }
        else if (Enum.IsDefined(region) && region != 0)
        {
            var latestToday = Sites.All.Where(s => s.PriceRegion == region).Max(s => s.BillingDayOf(now));
            validator.Check(effectiveDay > latestToday, "effective_day",
                $"must be after today on every site of the region (after {latestToday:yyyy-MM-dd}): a list never prices a day that has begun");
        }
        if (!string.IsNullOrEmpty(basePriceListId))
        {
            validator.Id(basePriceListId, "base_price_list_id", "pl");
        }

        if (!validator.Size(prices.Count, "prices", MaxPrices))
        {
            validator.ThrowIfInvalid();
        }
        var given = new Dictionary<(BillingItem, int), long>();
        for (var i = 0; i < prices.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"prices[{i}]");
            var item = BillingItems.Find(prices[i].Item);
            var micros = validator.UnitPrice(prices[i].UnitPrice, field + ".unit_price");
            if (item is null)
            {
                validator.Check(false, field + ".item", "must be a billing item from ListBillingItems");
                continue;
            }
            if (Enum.IsDefined(region) && region != 0 && !PriceTiers.IsOffered(region, item))
            {
                validator.Check(false, field + ".item", $"{item.ContractName} is not offered on the {region} price list");
                continue;
            }
            var tiers = PriceTiers.Of(item);
            if (!tiers.Contains(prices[i].RetentionDays))
            {
                validator.Check(false, field + ".retention_days", tiers.Count == 1 && tiers[0] == PriceTiers.AnyRetention
                    ? $"must be 0: the price of {item.ContractName} does not depend on retention"
                    : $"must be one of {string.Join(", ", tiers)} for {item.ContractName}");
                continue;
            }
            validator.Check(given.TryAdd((item.Item, prices[i].RetentionDays), micros), field,
                $"repeats {item.ContractName} at retention {prices[i].RetentionDays}; give each price once");
        }
        validator.ThrowIfInvalid();

        var merged = new Dictionary<(BillingItem, int), long>();
        if (!string.IsNullOrEmpty(basePriceListId))
        {
            var baseList = await db.PriceLists.AsNoTracking().FirstOrDefaultAsync(p => p.Id == basePriceListId, cancellationToken)
                ?? throw Errors.NotFound(ResourceTypes.PriceList, basePriceListId);
            if (baseList.Region != region)
            {
                throw Errors.InvalidArgument("base_price_list_id", $"must be a list of the {region} region; {basePriceListId} is of {baseList.Region}");
            }
            foreach (var entry in await db.PriceListEntries.AsNoTracking().Where(e => e.PriceListId == basePriceListId).ToListAsync(cancellationToken))
            {
                merged[(entry.Item, entry.RetentionDays)] = entry.UnitPriceMicros;
            }
        }
        foreach (var (key, micros) in given)
        {
            merged[key] = micros;
        }
        var missing = PriceTiers.RequiredPrices(region).Where(r => !merged.ContainsKey((r.Item.Item, r.RetentionDays))).ToList();
        if (missing.Count > 0)
        {
            throw Errors.InvalidArgument("prices", "must price every item the region offers; missing: "
                + string.Join(", ", missing.Take(20).Select(m => m.RetentionDays == 0 ? m.Item.ContractName : $"{m.Item.ContractName} at {m.RetentionDays} days")));
        }

        var regionSites = Sites.All.Where(s => s.PriceRegion == region).Select(s => s.Code).ToList();
        if (await db.DayCloses.AnyAsync(c => regionSites.Contains(c.SiteCode) && c.BillingDay >= effectiveDay, cancellationToken))
        {
            throw Errors.Precondition(ErrorReasons.DayAlreadyClosed, "effective_day", "A day on or after the effective day is already closed somewhere in the region.");
        }
        var created = new PriceList
        {
            Id = Ids.New("pl", clock),
            Region = region,
            EffectiveFrom = effectiveDay!.Value,
            Description = description?.Trim() ?? "",
            BasePriceListId = string.IsNullOrEmpty(basePriceListId) ? null : basePriceListId,
            CreatedAt = now,
        };
        var entries = merged.Select(p => new PriceListEntry { PriceListId = created.Id, Item = p.Key.Item1, RetentionDays = p.Key.Item2, UnitPriceMicros = p.Value }).ToList();
        db.PriceLists.Add(created);
        db.PriceListEntries.AddRange(entries);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw Errors.AlreadyExists(ErrorReasons.PriceListExists, ResourceTypes.PriceList, $"{region}/{effectiveDay:yyyy-MM-dd}",
                $"The {region} region already has a list effective from {effectiveDay:yyyy-MM-dd}.");
        }
        return new PriceTable(created, entries);
    }

    private async Task<IReadOnlyList<PriceTable>> TablesAsync(IReadOnlyList<PriceList> lists, CancellationToken cancellationToken)
    {
        var ids = lists.Select(l => l.Id).ToList();
        var entries = (await db.PriceListEntries.AsNoTracking().Where(e => ids.Contains(e.PriceListId)).ToListAsync(cancellationToken))
            .ToLookup(e => e.PriceListId);
        return lists.Select(l => new PriceTable(l, entries[l.Id])).ToList();
    }

    private static bool TryParseKey(string key, out (DateOnly Day, string Id) position)
    {
        position = default;
        var slash = key.IndexOf('/');
        if (slash <= 0 || !DateOnly.TryParseExact(key[..slash], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }
        position = (day, key[(slash + 1)..]);
        return true;
    }
}
