using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Webhooks;

/// <summary>
/// webhooks: a billing account's webhook endpoints (its billing-center session, or any account's for
/// the operator): register, list, update, disable, delete, rotate the secret; the deliveries of an
/// endpoint with each attempt, and a retry (replay) of one delivery (docs/domain.md §9).
/// </summary>
public sealed class WebhookCommands : ICommandGroup
{
    public int Order => 95;

    public IEnumerable<Command> Build() =>
    [
        new Command("webhooks", "Webhook endpoints of a billing account: create, list, update, disable, delete, rotate-secret, deliveries, retry")
        {
            Create(), List(), Update(), Disable(), Delete(), RotateSecret(), Deliveries(), Retry(),
        },
    ];

    private static Argument<string> EndpointId() => new("endpoint-id") { Description = "The endpoint, whe_... (from 'webhooks list')" };

    private static Option<string[]> Kinds(string description)
    {
        var kinds = new Option<string[]>("--kind") { Description = description + " (repeat): " + string.Join(", ", CliEnum.Names<NotificationKind>()), Arity = ArgumentArity.ZeroOrMore };
        CliEnum.AcceptOnly(kinds, CliEnum.Names<NotificationKind>());
        return kinds;
    }

    private static Command Create()
    {
        var account = Commands.Billing.BillingAccountCommands.Account();
        var url = new Option<string>("--url") { Description = "Where deliveries go: https, or http to a loopback address for development", Required = true };
        var kinds = Kinds("Only these notice kinds (default: every kind)");
        var description = new Option<string?>("--description", "-d") { Description = "What the endpoint is for" };
        var command = new Command("create", "Register an endpoint; its signing secret (whsec_...) is shown once") { account, url, kinds, description };
        return command.Handle(async (context, cancellationToken) =>
        {
            var endpoint = new WebhookEndpoint { Url = context.Get(url)!, Description = context.Get(description) ?? "" };
            endpoint.Kinds.AddRange((context.Get(kinds) ?? []).Select(CliEnum.Parse<NotificationKind>));
            var response = await context.BillingClient.Webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
            {
                BillingAccountId = context.BillingAccountId(account), WebhookEndpoint = endpoint,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowEndpoint(context, response.WebhookEndpoint, response.Secret));
            return ExitCodes.Ok;
        });
    }

    private static Command List()
    {
        var account = Commands.Billing.BillingAccountCommands.Account();
        var command = new Command("list", "The endpoints of a billing account (default: your own, after 'billing login')") { account };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Webhooks.ListWebhookEndpointsAsync(
                new ListWebhookEndpointsRequest { BillingAccountId = context.BillingAccountId(account) }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Table(
                ["ENDPOINT", "URL", "KINDS", "ENABLED", "FAILED IN A ROW", "DESCRIPTION", "CREATED"],
                response.WebhookEndpoints.Select(e => new[]
                {
                    e.WebhookEndpointId, e.Url, KindsText(e), Display.YesNo(e.Enabled), e.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture), e.Description, Display.Time(e.CreateTime),
                }),
                "No webhook endpoints."));
            return ExitCodes.Ok;
        });
    }

    private static Command Update()
    {
        var id = EndpointId();
        var url = new Option<string?>("--url") { Description = "A new URL" };
        var kinds = Kinds("The notice kinds it wants from now on (default: unchanged)");
        var allKinds = new Option<bool>("--all-kinds") { Description = "Every notice kind from now on" };
        var description = new Option<string?>("--description", "-d") { Description = "A new description" };
        var enable = new Option<bool>("--enable") { Description = "Enable it again" };
        var command = new Command("update", "Change an endpoint's URL, kinds or description, or enable it again") { id, url, kinds, allKinds, description, enable };
        return command.Handle(async (context, cancellationToken) =>
        {
            var endpoint = new WebhookEndpoint { WebhookEndpointId = context.Get(id)! };
            var mask = new FieldMask();
            if (context.Get(url) is { } newUrl)
            {
                endpoint.Url = newUrl;
                mask.Paths.Add("url");
            }
            if (context.Get(kinds) is { Length: > 0 } newKinds)
            {
                endpoint.Kinds.AddRange(newKinds.Select(CliEnum.Parse<NotificationKind>));
                mask.Paths.Add("kinds");
            }
            else if (context.Get(allKinds))
            {
                mask.Paths.Add("kinds");
            }
            if (context.Get(description) is { } newDescription)
            {
                endpoint.Description = newDescription;
                mask.Paths.Add("description");
            }
            if (context.Get(enable))
            {
                endpoint.Enabled = true;
                mask.Paths.Add("enabled");
            }
            if (mask.Paths.Count == 0)
            {
                throw new CommandLineException("Nothing to change: pass --url, --kind, --all-kinds, --description or --enable.");
            }
            return await UpdateAsync(context, endpoint, mask, cancellationToken);
        });
    }

    private static Command Disable()
    {
        var id = EndpointId();
        var command = new Command("disable", "Stop deliveries to an endpoint; its pending deliveries are cancelled ('update --enable' to resume)") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var endpoint = new WebhookEndpoint { WebhookEndpointId = context.Get(id)!, Enabled = false };
            return await UpdateAsync(context, endpoint, new FieldMask { Paths = { "enabled" } }, cancellationToken);
        });
    }

    private static async Task<int> UpdateAsync(CliContext context, WebhookEndpoint endpoint, FieldMask mask, CancellationToken cancellationToken)
    {
        var response = await context.BillingClient.Webhooks.UpdateWebhookEndpointAsync(
            new UpdateWebhookEndpointRequest { WebhookEndpoint = endpoint, UpdateMask = mask }, cancellationToken: cancellationToken);
        context.Output.Result(response, () => ShowEndpoint(context, response.WebhookEndpoint, secret: null));
        return ExitCodes.Ok;
    }

    private static Command Delete()
    {
        var id = EndpointId();
        var command = new Command("delete", "Delete an endpoint and cancel its pending deliveries (cannot be undone)") { id };
        command.WithConfirmation();
        return command.Handle(async (context, cancellationToken) =>
        {
            var endpointId = context.Get(id)!;
            if (!Confirmation.Confirm(context, $"Delete webhook endpoint {endpointId}? This cannot be undone."))
            {
                context.Output.Note("Nothing done.");
                return ExitCodes.Ok;
            }
            var response = await context.BillingClient.Webhooks.DeleteWebhookEndpointAsync(
                new DeleteWebhookEndpointRequest { WebhookEndpointId = endpointId }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line($"Deleted {endpointId}."));
            return ExitCodes.Ok;
        });
    }

    private static Command RotateSecret()
    {
        var id = EndpointId();
        var command = new Command("rotate-secret", "A new signing secret, shown once; the previous one still signs for 24 hours") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Webhooks.RotateWebhookEndpointSecretAsync(
                new RotateWebhookEndpointSecretRequest { WebhookEndpointId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowEndpoint(context, response.WebhookEndpoint, response.Secret));
            return ExitCodes.Ok;
        });
    }

    private static Command Deliveries()
    {
        var id = EndpointId();
        var command = new Command("deliveries", "An endpoint's deliveries, newest first, with their attempts") { id };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await Pages.ReadAsync(context,
                (size, token) => context.BillingClient.Webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest
                {
                    WebhookEndpointId = context.Get(id)!, PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.Deliveries, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "deliveries");
            context.Output.Result(response, () => context.Output.Table(
                ["DELIVERY", "KIND", "STATE", "ATTEMPTS", "LAST STATUS", "CREATED", "LAST ERROR"],
                response.Deliveries.Select(d => new[]
                {
                    d.DeliveryId, Display.Enum(d.Kind), Display.Enum(d.State), Display.Quantity(d.Attempts.Count),
                    d.Attempts.Count > 0 ? LastStatus(d.Attempts[^1]) : "", Display.Time(d.CreateTime), d.LastError,
                }),
                "No deliveries.", right: [3]));
            return ExitCodes.Ok;
        });
    }

    private static Command Retry()
    {
        var id = new Argument<string>("delivery-id") { Description = "The delivery (from 'webhooks deliveries')" };
        var command = new Command("retry", "Send a delivery again now: a failed one is retried, a sent one replayed") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Webhooks.RetryWebhookDeliveryAsync(
                new RetryWebhookDeliveryRequest { DeliveryId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Fields(
                ("Delivery", response.Delivery.DeliveryId),
                ("Kind", Display.Enum(response.Delivery.Kind)),
                ("State", Display.Enum(response.Delivery.State)),
                ("Next attempt", Display.Time(response.Delivery.NextAttemptTime))));
            return ExitCodes.Ok;
        });
    }

    private static string LastStatus(WebhookAttempt attempt) =>
        (attempt.StatusCode > 0 ? Display.Quantity(attempt.StatusCode) : "-") + " in " + Display.Quantity(attempt.DurationMs) + " ms";

    private static string KindsText(WebhookEndpoint endpoint) =>
        endpoint.Kinds.Count == 0 ? "all" : string.Join(", ", endpoint.Kinds.Select(k => Display.Enum(k)));

    private static void ShowEndpoint(CliContext context, WebhookEndpoint endpoint, string? secret)
    {
        context.Output.Fields(
            ("Endpoint", endpoint.WebhookEndpointId),
            ("Account", endpoint.BillingAccountId),
            ("URL", endpoint.Url),
            ("Kinds", KindsText(endpoint)),
            ("Enabled", Display.YesNo(endpoint.Enabled)),
            ("Failed in a row", endpoint.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture)),
            ("Description", endpoint.Description),
            ("Created", Display.Time(endpoint.CreateTime)));
        if (secret is not null)
        {
            context.Output.Line("");
            context.Output.Line($"Secret: {secret}");
            context.Output.Note("The secret is shown only now: keep it to verify the webhook-signature header.");
        }
    }
}
