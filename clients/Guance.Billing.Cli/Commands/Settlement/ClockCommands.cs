using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Settlement;

/// <summary>
/// settlement clock show/advance: the host's clock; on a host started with
/// Guance:Clock:Mode=Simulated, support and finance move it forward to replay a customer's month,
/// every job falling due on the way running in order (day closes, expiries, the arrears countdown).
/// </summary>
public static class ClockCommands
{
    public static Command Build() => new("clock", "The host's clock: show it; advance a simulated one, running the jobs due on the way (operator)") { Show(), Advance() };

    private static Command Show()
    {
        var command = new Command("show", "Show whether the host runs on the system clock or a simulated one, and its time now (operator)");
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Settlement.GetClockAsync(new GetClockRequest(), cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Fields(
                ("Clock", Display.Enum(response.Mode)),
                ("Now", Display.Time(response.Now))));
            return ExitCodes.Ok;
        });
    }

    private static Command Advance()
    {
        var by = new Option<TimeSpan?>("--by")
        {
            Description = "How far to move it: 1d, 12h, 30m (at most 400 days)",
            CustomParser = Durations.Parse,
        };
        var to = TimeArgument.Option("--to", "Where to move it: an instant (2026-12-01T00:00:00Z or +08:00) or a date (its 00:00 UTC)");
        var command = new Command("advance",
            "Move a simulated clock forward, stopping wherever a job falls due and running it there, in order; FAILED_PRECONDITION on the system clock (operator)")
        {
            by, to,
        };
        command.AddCheck(result =>
        {
            if ((result.GetResult(by) is null) == (result.GetResult(to) is null))
            {
                result.AddError("Give --by or --to (one of them).");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new AdvanceClockRequest();
            if (context.Get(by) is { } duration)
            {
                request.Duration = Duration.FromTimeSpan(duration);
            }
            else if (context.Get(to) is { Duration: not null })
            {
                throw new CommandLineException("--to takes an instant or a date; for a duration use --by.");
            }
            else
            {
                request.TargetTime = Timestamp.FromDateTimeOffset(context.Get(to)!.Resolve(DateTimeOffset.UtcNow, TimeZoneInfo.Utc, ahead: true));
            }
            var response = await ProgressDisplay.RunAsync(context, "Advancing the clock, running the jobs due", total: null,
                _ => context.Client.Settlement.AdvanceClockAsync(request, cancellationToken: cancellationToken).ResponseAsync);
            context.Output.Result(response, () => context.Output.Fields(
                ("From", Display.Time(response.PreviousTime)),
                ("Now", Display.Time(response.Now)),
                ("Stops", Display.Quantity(response.Stops))));
            return ExitCodes.Ok;
        });
    }
}
