using System.CommandLine;
using System.Globalization;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Billing;

/// <summary>
/// cloud records|acknowledge|reissue|cancel-subscription: what an operator does by hand with the marketplaces' metering
/// records (the integration does the same through the API): look at what waits, acknowledge what AWS's usage reports
/// show as metered, reissue an expired AWS record that was not, find the records AWS metered twice.
/// </summary>
public sealed class CloudMarketplaceCommands : ICommandGroup
{
    public int Order => 76;

    public IEnumerable<Command> Build()
    {
        yield return new Command("cloud", "Cloud-marketplace metering (operator): records, acknowledge, reissue, cancel-subscription")
        {
            Records(), Acknowledge(), Reissue(), CancelSubscription(),
        };
    }

    private static Command Records()
    {
        var provider = new Option<string>("--provider") { Description = "The marketplace: " + string.Join(", ", CliEnum.Names<CloudProvider>()), Required = true };
        CliEnum.AcceptOnly(provider, CliEnum.Names<CloudProvider>());
        var cloudAccount = new Option<string?>("--cloud-account") { Description = "Only this cloud account's records, ca_..." };
        var expired = new Option<bool>("--expired") { Description = "AWS: the records that expired unsent (check AWS's usage reports, then acknowledge or reissue each)" };
        var twice = new Option<bool>("--metered-twice") { Description = "AWS: the sent records whose quantity AWS metered twice (to refund at AWS)" };
        var command = new Command("records", "List the metering records still to send (pending or failed), by cloud account, or with --expired or --metered-twice those of AWS")
        {
            provider, cloudAccount, expired, twice,
        };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new ListCloudMeteringRecordsRequest
            {
                Provider = CliEnum.Parse<CloudProvider>(context.Get(provider)!),
                CloudAccountId = context.Get(cloudAccount) ?? "",
                Expired = context.Get(expired),
                MeteredTwice = context.Get(twice),
            };
            var response = await Pages.ReadAsync(context,
                (size, token) => context.Client.CloudMarketplace.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest(request)
                {
                    PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.Batches, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "batches");
            context.Output.Result(response, () => Table(context, response.Batches.SelectMany(b => b.Records), request switch
            {
                { Expired: true } => "No expired records.",
                { MeteredTwice: true } => "No records metered twice.",
                _ => "No records to send.",
            }));
            return ExitCodes.Ok;
        });
    }

    private static Command Acknowledge()
    {
        var ids = new Argument<string[]>("record-id") { Description = "The records, cmr_... (up to 1,000)", Arity = ArgumentArity.OneOrMore };
        var sent = new Option<bool>("--sent") { Description = "The marketplace accepted them (settles their bills)" };
        var failed = new Option<string?>("--failed") { Description = "The marketplace refused them, with its reason: they are listed again to resend" };
        var command = new Command("acknowledge", "Report what the marketplace said of records: --sent, or --failed REASON (all or nothing)") { ids, sent, failed };
        command.AddCheck(result =>
        {
            if (result.GetValue(sent) == (result.GetResult(failed) is not null))
            {
                result.AddError("Give either --sent or --failed REASON.");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new AcknowledgeCloudMeteringRecordsRequest();
            var reason = context.Get(failed);
            request.Results.Add(context.Get(ids)!.Select(id => new CloudMeteringResult
            {
                RecordId = id,
                Outcome = reason is null ? MeteringOutcome.Sent : MeteringOutcome.Failed,
                FailureReason = reason ?? "",
            }));
            var response = await context.Client.CloudMarketplace.AcknowledgeCloudMeteringRecordsAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Table(context, response.Records, "No records."));
            return ExitCodes.Ok;
        });
    }

    private static Command Reissue()
    {
        var id = new Argument<string>("record-id") { Description = "An expired AWS record, cmr_..." };
        var command = new Command("reissue", "Reissue an expired AWS record that AWS did not meter (check its usage reports first): a new record of the same day and item takes its quantity")
        {
            id,
        };
        command.WithConfirmation();
        return command.Handle(async (context, cancellationToken) =>
        {
            var record = context.Get(id)!;
            if (!Confirmation.Confirm(context, $"Reissue {record}? Do it only if AWS's usage reports show it was not metered, or AWS meters it twice."))
            {
                context.Output.Note("Nothing done.");
                return ExitCodes.Ok;
            }
            var response = await context.Client.CloudMarketplace.ReissueCloudMeteringRecordAsync(new ReissueCloudMeteringRecordRequest { RecordId = record },
                cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                Table(context, [response.Record, .. response.Replacement is null ? [] : new[] { response.Replacement }], "No records.");
                if (response.Replayed)
                {
                    context.Output.Note($"{record} was reissued before: nothing changed. {response.Replacement?.RecordId} meters its quantity.");
                }
            });
            return ExitCodes.Ok;
        });
    }

    private static Command CancelSubscription()
    {
        var id = new Argument<string>("cloud-account-id") { Description = "The cloud account whose marketplace subscription was cancelled, ca_..." };
        var command = new Command("cancel-subscription",
            "Record the marketplace's cancellation notice: Alibaba Cloud workspaces move to the billing center, AWS and Huawei Cloud ones start the 14-day countdown to the lock")
        {
            id,
        };
        command.WithConfirmation();
        return command.Handle(async (context, cancellationToken) =>
        {
            var account = context.Get(id)!;
            if (!Confirmation.Confirm(context, $"Record that the subscription of {account} is cancelled?"))
            {
                context.Output.Note("Nothing done.");
                return ExitCodes.Ok;
            }
            var response = await context.Client.CloudMarketplace.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest { CloudAccountId = account },
                cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Table(
                ["WORKSPACE", "METHOD NOW", "LOCKED AT"],
                response.Workspaces.Select(w => new[] { w.WorkspaceId, Display.Enum(w.Method), Display.Time(w.LockTime) }),
                $"No workspace changed: the cancellation of {account} was recorded before, or none settles through it."));
            return ExitCodes.Ok;
        });
    }

    private static void Table(CliContext context, IEnumerable<CloudMeteringRecord> records, string empty) =>
        context.Output.Table(
            ["RECORD", "CLOUD ACCOUNT", "DAY", "DIMENSION", "QUANTITY", "AMOUNT", "HOUR", "STATUS", "ATTEMPTS", "REPLACED BY", "LAST FAILURE"],
            records.Select(r => new[]
            {
                r.RecordId, r.CloudAccountId, Display.Day(r.Day), r.Dimension, Display.Quantity(r.Quantity),
                Display.Money(r.Amount), Display.Time(r.UsageTime), Display.Enum(r.Status), r.Attempts.ToString(CultureInfo.InvariantCulture), r.ReplacedBy,
                r.FailureReason,
            }),
            empty, right: [4, 5, 8]);
}
