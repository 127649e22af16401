using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Settlement;

/// <summary>settlement prices list/show/create: the price lists of the CN and Intl regions, each from its effective day on.</summary>
public static partial class PriceListCommands
{
    public static Command Build() => new("prices", "Price lists: list, show (by id, or the one in force on a site and day), create (operator)") { List(), Show(), Create() };

    private static Option<string?> Region(string description)
    {
        var region = new Option<string?>("--region") { Description = description + ": " + string.Join(", ", CliEnum.Names<PriceRegion>()) };
        CliEnum.AcceptOnly(region, CliEnum.Names<PriceRegion>());
        return region;
    }

    private static Command List()
    {
        var region = Region("Only this region's lists");
        var command = new Command("list", "List the price lists, newest effective day first") { region };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var regionValue = context.Get(region) is { } name ? CliEnum.Parse<PriceRegion>(name) : PriceRegion.Unspecified;
            var response = await Pages.ReadAsync(context,
                (size, token) => context.Client.Settlement.ListPriceListsAsync(new ListPriceListsRequest
                {
                    Region = regionValue, PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.PriceLists, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "price lists");
            context.Output.Result(response, () => context.Output.Table(
                ["PRICE LIST", "REGION", "EFFECTIVE", "PRICES", "DESCRIPTION", "CREATED"],
                response.PriceLists.Select(p => new[]
                {
                    p.PriceListId, Display.Enum(p.Region), Display.Day(p.EffectiveDay), Display.Quantity(p.Prices.Count), p.Description, Display.Time(p.CreateTime),
                }),
                "No price lists.", right: [3]));
            return ExitCodes.Ok;
        });
    }

    private static Command Show()
    {
        var id = new Argument<string?>("price-list-id") { Description = "The price list, pl_... (or give --site)", Arity = ArgumentArity.ZeroOrOne };
        var site = new Option<string?>("--site") { Description = "Show the list in force on this site (with --day)" };
        var day = BillingDays.Option("--day", "The site's day whose list to show (default: today there)", required: false);
        var command = new Command("show", "Show a price list's prices: by id, or the one in force on a site on a day") { id, site, day };
        command.AddCheck(result =>
        {
            var byId = result.GetValue(id) is { Length: > 0 };
            var bySite = result.GetResult(site) is not null;
            if (byId == bySite)
            {
                result.AddError("Give a price list id, or --site (and optionally --day).");
            }
            if (result.GetResult(day) is not null && !bySite)
            {
                result.AddError("--day needs --site.");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new GetPriceListRequest { PriceListId = context.Get(id) ?? "", SiteCode = context.Get(site) ?? "" };
            if (context.Get(day) is { } on)
            {
                request.Day = on;
            }
            var response = await context.Client.Settlement.GetPriceListAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowPriceList(context, response.PriceList));
            return ExitCodes.Ok;
        });
    }

    private static Command Create()
    {
        var region = Region("The region");
        region.Required = true;
        var effective = BillingDays.Option("--effective-day", "The first day it rates: after today on every site of the region");
        var basedOn = new Option<string?>("--base") { Description = "A list of the region (pl_...) whose prices are copied; then --price gives only the changes" };
        var prices = new Option<Price[]>("--price")
        {
            Description = "A price, repeatable: item=price or item:retention-days=price per price unit in CNY, up to 6 decimals (e.g. logs:14=1.60, sms=1, backup-logs=0.007)",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result => result.Tokens.Select(t => ParsePrice(result, t.Value)).ToArray(),
        };
        var description = new Option<string?>("--description") { Description = "What changed, for people (at most 256 characters)" };
        var command = new Command("create", "Create a price list of a region from a future day on; days already billed are never re-priced (operator)")
        {
            region, effective, basedOn, prices, description,
        };
        command.AddCheck(result =>
        {
            if (result.GetResult(prices) is null && result.GetResult(basedOn) is null)
            {
                result.AddError("Give --price for every item, or --base and the --price values that change.");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new CreatePriceListRequest
            {
                Region = CliEnum.Parse<PriceRegion>(context.Get(region)!),
                EffectiveDay = context.Get(effective)!,
                BasePriceListId = context.Get(basedOn) ?? "",
                Description = context.Get(description) ?? "",
            };
            request.Prices.Add(context.Get(prices) ?? []);
            var response = await context.Client.Settlement.CreatePriceListAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowPriceList(context, response.PriceList));
            return ExitCodes.Ok;
        });
    }

    public static void ShowPriceList(CliContext context, PriceList list)
    {
        context.Output.Fields(
            ("Price list", list.PriceListId),
            ("Region", Display.Enum(list.Region)),
            ("Effective", Display.Day(list.EffectiveDay)),
            ("Description", list.Description),
            ("Created", Display.Time(list.CreateTime)));
        context.Output.Line("");
        context.Output.Table(
            ["ITEM", "RETENTION", "UNIT PRICE", "PER"],
            list.Prices.Select(p => new[] { Display.Enum(p.Item), Display.Days(p.RetentionDays), Display.Money(p.UnitPrice), Display.Quantity(p.PriceUnit) }),
            "No prices.", right: [2, 3]);
    }

    private static Price ParsePrice(System.CommandLine.Parsing.ArgumentResult result, string text)
    {
        var match = PricePattern().Match(text.Trim());
        if (!match.Success || !CliEnum.Names<BillingItem>().Contains(match.Groups["item"].Value))
        {
            result.AddError($"--price: '{text}' is not a price: write item=price or item:retention-days=price, e.g. logs:14=1.60 (items: {string.Join(", ", CliEnum.Names<BillingItem>())}).");
            return new Price();
        }
        var price = new Price
        {
            Item = CliEnum.Parse<BillingItem>(match.Groups["item"].Value),
            UnitPrice = MoneyAmounts.FromDecimal(decimal.Parse(match.Groups["price"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)),
        };
        if (match.Groups["days"].Success)
        {
            price.RetentionDays = int.Parse(match.Groups["days"].Value, CultureInfo.InvariantCulture);
        }
        return price;
    }

    [GeneratedRegex(@"^(?<item>[a-z-]+)(?::(?<days>[0-9]{1,4}))?=(?<price>[0-9]{1,9}(?:\.[0-9]{1,6})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex PricePattern();
}
