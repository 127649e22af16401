using System.CommandLine;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Settlement;

/// <summary>
/// settlement close-day: closes one billing day of a site, or every day of a range in order, with a
/// progress bar at a terminal. Each close is idempotent and resumes one a crash left unfinished, so
/// running the command again after a failure is always safe.
/// </summary>
public static class CloseDayCommand
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static Command Build()
    {
        var site = new Option<string>("--site") { Description = "Site code from 'guance-billing sites', e.g. cn1", Required = true };
        var day = BillingDays.Option("--day", "The billing day to close; it must have ended on the site, and its late grace (30 minutes) too");
        var to = BillingDays.Option("--to", "Close every day from --day to this one, in order", required: false);
        var command = new Command("close-day",
            "Close a site's billing day: its late usage is refused from then on, one daily bill per commercial workspace is written and charged. " +
            "Idempotent and resumable (operator; the host also closes days on its clock; raise --timeout for large sites)")
        {
            site, day, to,
        };
        return command.Handle(async (context, cancellationToken) =>
        {
            var siteCode = context.Get(site)!;
            var first = context.Get(day)!.ToDateOnly();
            var last = context.Get(to)?.ToDateOnly() ?? first;
            if (last < first)
            {
                throw new CommandLineException("--to must not be before --day.");
            }
            var days = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays).ToList();
            var closes = new List<DayClose>();
            try
            {
                await ProgressDisplay.RunAsync(context, $"Closing {siteCode} {first:yyyy-MM-dd}", days.Count, async progress =>
                {
                    foreach (var closing in days)
                    {
                        progress.Report(closes.Count, $"Closing {siteCode} {closing:yyyy-MM-dd} ({closes.Count + 1} of {days.Count})");
                        var response = await context.Client.Settlement.CloseDayAsync(new CloseDayRequest
                        {
                            SiteCode = siteCode, Day = BillingDays.From(closing),
                        }, cancellationToken: cancellationToken);
                        closes.Add(response.DayClose);
                    }
                    progress.Report(closes.Count);
                    return closes.Count;
                });
            }
            finally
            {
                // What was closed before a failure is shown too, so that a rerun's starting point is clear.
                if (closes.Count > 0)
                {
                    Write(context, closes);
                }
            }
            return ExitCodes.Ok;
        });
    }

    private static void Write(CliContext context, List<DayClose> closes)
    {
        var result = new Struct();
        result.Fields["dayCloses"] = Value.ForList(closes.Select(c => Value.Parser.ParseJson(Formatter.Format(c))).ToArray());
        context.Output.Result(result, () => context.Output.Table(
            ["SITE", "DAY", "STATE", "BILLS", "CHARGED", "AWAITING CLOUD", "UNBOUND", "TOTAL", "PRICE LIST", "CLOSED", "COMPLETED"],
            closes.Select(c => new[]
            {
                c.SiteCode, Display.Day(c.Day), Display.Enum(c.State), Display.Quantity(c.Bills), Display.Quantity(c.BillsCharged),
                Display.Quantity(c.BillsAwaitingCloud), Display.Quantity(c.BillsUnbound), Display.Money(c.Total), c.PriceListId,
                Display.Time(c.CloseTime), Display.Time(c.CompleteTime),
            }),
            "No days closed.", right: [3, 4, 5, 6, 7]));
    }
}
