using Google.Protobuf.WellKnownTypes;
using Guance.Billing.V1;

namespace Guance.Billing.Console.BillingCenter;

/// <summary>
/// The form of one webhook endpoint (docs/domain.md §9): its URL, the notice kinds it receives (none
/// picked: every notice, also kinds added later) and a description. Whether it is on is changed from
/// the list, not here.
/// </summary>
public sealed class WebhookEndpointForm
{
    /// <summary>The fields the form shows, as the host names them in its violations.</summary>
    public static readonly string[] Fields = ["webhook_endpoint.url", "webhook_endpoint.kinds", "webhook_endpoint.description"];

    private static readonly string[] UpdatablePaths = ["url", "kinds", "description"];

    /// <summary>The endpoint being edited; null for a new one.</summary>
    public string? WebhookEndpointId { get; init; }

    public string Url { get; set; } = "";

    public HashSet<NotificationKind> Kinds { get; init; } = [];

    public string Description { get; set; } = "";

    public bool Receives(NotificationKind kind) => Kinds.Contains(kind);

    public void Pick(NotificationKind kind, bool picked)
    {
        if (picked)
        {
            Kinds.Add(kind);
        }
        else
        {
            Kinds.Remove(kind);
        }
    }

    public static WebhookEndpointForm From(WebhookEndpoint endpoint) => new()
    {
        WebhookEndpointId = endpoint.WebhookEndpointId,
        Url = endpoint.Url,
        Kinds = [.. endpoint.Kinds],
        Description = endpoint.Description,
    };

    public CreateWebhookEndpointRequest ToCreate(string billingAccountId) =>
        new() { BillingAccountId = billingAccountId, WebhookEndpoint = ToEndpoint() };

    public UpdateWebhookEndpointRequest ToUpdate()
    {
        var request = new UpdateWebhookEndpointRequest { WebhookEndpoint = ToEndpoint(), UpdateMask = new FieldMask() };
        request.WebhookEndpoint.WebhookEndpointId = WebhookEndpointId ?? "";
        request.UpdateMask.Paths.AddRange(UpdatablePaths);
        return request;
    }

    private WebhookEndpoint ToEndpoint()
    {
        var endpoint = new WebhookEndpoint { Url = Url, Description = Description };
        // In the contract's order, whatever order they were ticked in.
        endpoint.Kinds.AddRange(Kinds.Order());
        return endpoint;
    }
}
