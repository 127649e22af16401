using Bunit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>An endpoint's webhook deliveries (docs/api.md, webhooks): listed with their attempts, and sent again on request.</summary>
public sealed class WebhookDeliveriesPageTests : ConsoleContext
{
    private readonly WebhookDelivery _failed = new()
    {
        DeliveryId = "ndl_1", NoticeId = "ntf_1", Kind = NotificationKind.ArrearsStarted, State = WebhookDeliveryState.Failed,
        CreateTime = At(1, 30), CompleteTime = At(2, 0), LastError = "HTTP 500: receiver says no",
        Attempts =
        {
            new WebhookAttempt { Number = 1, AttemptTime = At(1, 31), StatusCode = 500, Error = "HTTP 500: receiver says no", DurationMs = 12 },
            new WebhookAttempt { Number = 2, AttemptTime = At(1, 32), StatusCode = 0, Error = "Connection failed: connection refused", DurationMs = 3 },
        },
    };

    public WebhookDeliveriesPageTests()
    {
        SignInBillingCenterAsync().GetAwaiter().GetResult();
        Host.On<ListWebhookEndpointsRequest, ListWebhookEndpointsResponse>("WebhookService/ListWebhookEndpoints", _ => new ListWebhookEndpointsResponse
        {
            WebhookEndpoints = { NotificationsPageTests.Endpoint("whe_1", "https://hooks.acme.example/guance") },
        }).On<ListWebhookDeliveriesRequest, ListWebhookDeliveriesResponse>("WebhookService/ListWebhookDeliveries", _ => new ListWebhookDeliveriesResponse
        {
            Deliveries = { _failed.Clone() },
        });
    }

    [Fact]
    public void Deliveries_are_listed_with_state_kind_and_each_attempt_and_one_is_sent_again()
    {
        Host.On<RetryWebhookDeliveryRequest, RetryWebhookDeliveryResponse>("WebhookService/RetryWebhookDelivery", _ =>
        {
            (_failed.State, _failed.NextAttemptTime, _failed.CompleteTime) = (WebhookDeliveryState.Pending, At(2, 10), null);
            return new RetryWebhookDeliveryResponse { Delivery = _failed };
        });
        var page = Render<WebhookDeliveriesPage>(p => p.Add(x => x.WebhookEndpointId, "whe_1"));

        var row = page.WaitForElement("[data-id=ndl_1]");
        Assert.Equal("https://hooks.acme.example/guance", page.Find("[data-testid=deliveries-url]").TextContent);
        Assert.Equal(("Arrears started", "Failed"), (row.QuerySelector("[data-testid=delivery-kind]")!.TextContent.Trim(), row.QuerySelector("[data-testid=delivery-state]")!.TextContent.Trim()));
        var attempts = row.QuerySelector("[data-testid=delivery-attempts]")!.TextContent;
        Assert.Contains("#1 2026-11-02 09:31 UTC+8: HTTP 500: receiver says no (12 ms)", attempts, StringComparison.Ordinal);
        Assert.Contains("#2 2026-11-02 09:32 UTC+8: Connection failed: connection refused (3 ms)", attempts, StringComparison.Ordinal);
        Assert.Equal("whe_1", Host.CallsOf<ListWebhookDeliveriesRequest>("WebhookService/ListWebhookDeliveries").First().WebhookEndpointId);

        Assert.Contains("Send again", row.QuerySelector("[data-testid=retry-delivery]")!.TextContent, StringComparison.Ordinal);
        page.Find("[data-id=ndl_1] [data-testid=retry-delivery]").Click();

        page.WaitForAssertion(() => Assert.Equal("Pending", page.Find("[data-id=ndl_1] [data-testid=delivery-state]").TextContent.Trim()));
        Assert.Equal("2026-11-02 10:10 UTC+8", page.Find("[data-id=ndl_1] [data-testid=delivery-next]").TextContent);
        Assert.Contains("Send now", page.Find("[data-id=ndl_1] [data-testid=retry-delivery]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=retry-queued]"));
        Assert.Equal("ndl_1", Host.CallsOf<RetryWebhookDeliveryRequest>("WebhookService/RetryWebhookDelivery").Single().DeliveryId);
    }

    [Fact]
    public void A_delivery_sent_again_twice_while_its_call_is_under_way_is_replayed_once()
    {
        var answer = new TaskCompletionSource<RetryWebhookDeliveryResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Host.OnAsync<RetryWebhookDeliveryRequest, RetryWebhookDeliveryResponse>("WebhookService/RetryWebhookDelivery", _ => answer.Task);
        var page = Render<WebhookDeliveriesPage>(p => p.Add(x => x.WebhookEndpointId, "whe_1"));

        page.WaitForElement("[data-id=ndl_1] [data-testid=retry-delivery]").Click();
        page.Find("[data-id=ndl_1] [data-testid=retry-delivery]").Click();
        answer.SetResult(new RetryWebhookDeliveryResponse { Delivery = _failed });

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=retry-queued]")));
        Assert.Single(Host.CallsOf<RetryWebhookDeliveryRequest>("WebhookService/RetryWebhookDelivery"));
    }

    [Fact]
    public void A_retry_refused_because_the_endpoint_is_off_is_explained_in_words()
    {
        Host.On<RetryWebhookDeliveryRequest, RetryWebhookDeliveryResponse>("WebhookService/RetryWebhookDelivery", _ => throw FakeHost.Failure(
            StatusCode.FailedPrecondition, "WEBHOOK_ENDPOINT_DISABLED", "This webhook endpoint is disabled; enable it, then retry the delivery."));
        var page = Render<WebhookDeliveriesPage>(p => p.Add(x => x.WebhookEndpointId, "whe_1"));

        page.WaitForElement("[data-id=ndl_1] [data-testid=retry-delivery]").Click();

        Assert.Contains("is disabled; enable it", page.WaitForElement("[data-testid=error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=retry-queued]"));
        Assert.DoesNotContain("WEBHOOK_ENDPOINT_DISABLED", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_that_is_not_the_account_s_is_refused_in_words()
    {
        Host.On<ListWebhookDeliveriesRequest, ListWebhookDeliveriesResponse>("WebhookService/ListWebhookDeliveries", _ => throw FakeHost.Failure(
            StatusCode.NotFound, "WEBHOOK_ENDPOINT_NOT_FOUND", "The webhook endpoint whe_9 does not exist."));
        var page = Render<WebhookDeliveriesPage>(p => p.Add(x => x.WebhookEndpointId, "whe_9"));

        Assert.Equal("This account has no webhook endpoint at this address: its endpoints are under Notifications.",
            page.WaitForElement("[data-testid=not-found]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=webhook-delivery]"));
    }

    private static Timestamp At(int hour, int minute) => Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, hour, minute, 0, TimeSpan.Zero));
}
