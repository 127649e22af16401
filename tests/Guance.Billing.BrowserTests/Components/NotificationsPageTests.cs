using Bunit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.Console.Components;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The billing center's Notifications page (docs/domain.md §9): the notices' language and the webhook endpoints.</summary>
public sealed class NotificationsPageTests : ConsoleContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);
    private readonly List<WebhookEndpoint> _endpoints = [];

    public NotificationsPageTests()
    {
        Services.AddSingleton<TimeProvider>(new FixedTime(Now));
        SignInBillingCenterAsync().GetAwaiter().GetResult();
        Host.On<GetBillingAccountRequest, GetBillingAccountResponse>("BillingAccountService/GetBillingAccount", _ => new GetBillingAccountResponse
        {
            BillingAccount = new BillingAccount { BillingAccountId = BillingAccountId, Username = "acme", Email = "finance@acme.example" },
        }).On<ListWebhookEndpointsRequest, ListWebhookEndpointsResponse>("WebhookService/ListWebhookEndpoints", _ => new ListWebhookEndpointsResponse
        {
            WebhookEndpoints = { _endpoints.Select(e => e.Clone()) },
        }).On<CreateWebhookEndpointRequest, CreateWebhookEndpointResponse>("WebhookService/CreateWebhookEndpoint", r =>
        {
            var created = Endpoint($"whe_{_endpoints.Count + 1}", r.WebhookEndpoint.Url);
            created.Kinds.Add(r.WebhookEndpoint.Kinds);
            created.Description = r.WebhookEndpoint.Description;
            _endpoints.Add(created);
            return new CreateWebhookEndpointResponse { WebhookEndpoint = created, Secret = "whsec_Zmlyc3Qgc2VjcmV0IG9mIHRoZSB0ZXN0" };
        });
    }

    [Fact]
    public void The_language_is_saved_with_its_mask_alone()
    {
        Host.On<UpdateBillingAccountRequest, UpdateBillingAccountResponse>("BillingAccountService/UpdateBillingAccount",
            r => new UpdateBillingAccountResponse { BillingAccount = new BillingAccount { BillingAccountId = BillingAccountId, Language = r.BillingAccount.Language } });
        var page = Render<NotificationsPage>();

        Assert.Contains("By site: Simplified Chinese for a workspace on a China site", page.WaitForElement("[data-testid=notice-language]").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("[data-testid=save-language]").HasAttribute("disabled"));
        page.Find("input[data-testid=language-en]").Click();
        page.Find("[data-testid=save-language]").Click();

        page.WaitForAssertion(() => Assert.Contains("Saved: English", page.Find("[data-testid=language-saved]").TextContent, StringComparison.Ordinal));
        var sent = Host.CallsOf<UpdateBillingAccountRequest>("BillingAccountService/UpdateBillingAccount").Single();
        Assert.Equal((BillingAccountId, "en"), (sent.BillingAccountId, sent.BillingAccount.Language));
        Assert.Equal(["language"], sent.UpdateMask.Paths);
    }

    [Fact]
    public void A_refused_language_is_explained_next_to_the_choice()
    {
        Host.On<UpdateBillingAccountRequest, UpdateBillingAccountResponse>("BillingAccountService/UpdateBillingAccount",
            _ => throw FakeHost.BadRequest(("billing_account.language", "must be zh-CN or en, or empty for the site's language")));
        var page = Render<NotificationsPage>();

        page.WaitForElement("input[data-testid=language-zh-cn]").Click();
        page.Find("[data-testid=save-language]").Click();

        page.WaitForAssertion(() => Assert.Contains("must be zh-CN or en", page.Find("[data-testid=language-error]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("INVALID_FIELD", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_of_a_new_endpoint_is_shown_once_and_is_gone_after_leaving_the_page()
    {
        var page = Render<NotificationsPage>();

        page.WaitForElement("input[data-testid=webhook-url]").Change("https://hooks.acme.example/guance");
        page.Find("input[data-testid=webhook-description]").Input("ERP");
        page.Find("[data-testid=save-webhook]").Closest("form")!.Submit();

        var notice = page.WaitForElement("[data-testid=webhook-secret-notice]");
        Assert.Equal("whsec_Zmlyc3Qgc2VjcmV0IG9mIHRoZSB0ZXN0", page.Find("[data-testid=webhook-secret]").TextContent);
        Assert.Contains("will not be shown again", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("webhook-signature", notice.TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Contains("https://hooks.acme.example/guance", page.Find("[data-id=whe_1] [data-testid=webhook-endpoint-url]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Every notice", page.Find("[data-id=whe_1] [data-testid=webhook-endpoint-kinds]").TextContent);
        Assert.Equal("ERP", page.Find("[data-id=whe_1] [data-testid=webhook-endpoint-description]").TextContent);
        Assert.Equal("", page.Find("input[data-testid=webhook-url]").GetAttribute("value") ?? "");

        // Leaving the page and coming back: the host never lists a secret, and the console kept none.
        await DisposeComponentsAsync();
        var again = Render<NotificationsPage>();
        again.WaitForElement("[data-id=whe_1]");
        Assert.Empty(again.FindAll("[data-testid=webhook-secret]"));
        Assert.DoesNotContain("whsec_", again.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(Store.Items.Values, v => v.Contains("whsec_", StringComparison.Ordinal));
    }

    [Fact]
    public void The_secret_is_copied_through_the_clipboard_module_and_dismissed_when_saved()
    {
        var clipboard = JSInterop.SetupModule(BrowserClipboard.ModulePath);
        clipboard.Setup<bool>("copyText", _ => true).SetResult(true);
        var page = Render<NotificationsPage>();

        page.WaitForElement("input[data-testid=webhook-url]").Change("https://hooks.acme.example/guance");
        page.Find("[data-testid=save-webhook]").Closest("form")!.Submit();
        page.WaitForElement("[data-testid=copy-secret]").Click();

        page.WaitForAssertion(() => Assert.Equal("Copied.", page.Find("[data-testid=copy-outcome]").TextContent));
        Assert.Equal("whsec_Zmlyc3Qgc2VjcmV0IG9mIHRoZSB0ZXN0", Assert.Single(clipboard.Invocations["copyText"]).Arguments[0]);
        page.Find("[data-testid=secret-done]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=webhook-secret]")));
    }

    [Fact]
    public void The_kinds_are_picked_by_name_and_sent_in_the_contract_s_order()
    {
        var page = Render<NotificationsPage>();

        page.WaitForElement("input[data-testid=webhook-url]").Change("https://hooks.acme.example/guance");
        Assert.Equal("Arrears started", page.Find("input[data-kind=ArrearsStarted]").Closest("label")!.TextContent.Trim());
        page.Find("input[data-kind=InvoiceIssued]").Change(true);
        page.Find("input[data-kind=ArrearsStarted]").Change(true);
        page.Find("[data-testid=save-webhook]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Equal("Arrears started, Invoice issued", page.Find("[data-id=whe_1] [data-testid=webhook-endpoint-kinds]").TextContent));
        var sent = Host.CallsOf<CreateWebhookEndpointRequest>("WebhookService/CreateWebhookEndpoint").Single();
        Assert.Equal(BillingAccountId, sent.BillingAccountId);
        Assert.Equal([NotificationKind.ArrearsStarted, NotificationKind.InvoiceIssued], sent.WebhookEndpoint.Kinds);
    }

    [Fact]
    public void A_refused_url_is_shown_next_to_the_field_in_words()
    {
        Host.On<CreateWebhookEndpointRequest, CreateWebhookEndpointResponse>("WebhookService/CreateWebhookEndpoint",
            _ => throw FakeHost.BadRequest(("webhook_endpoint.url", "must use https; http is allowed only to a loopback host (localhost, 127.0.0.1, [::1])")));
        var page = Render<NotificationsPage>();

        page.WaitForElement("input[data-testid=webhook-url]").Change("http://hooks.acme.example/guance");
        page.Find("[data-testid=save-webhook]").Closest("form")!.Submit();

        Assert.Contains("must use https", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
        Assert.Contains("Some fields need correcting", page.Find("[data-testid=error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=webhook-secret]"));
        Assert.DoesNotContain("INVALID_FIELD", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_is_refused_at_ten_endpoints_and_says_why()
    {
        for (var i = 1; i <= 9; i++)
        {
            _endpoints.Add(Endpoint($"whe_{i}", $"https://hooks.acme.example/{i}"));
        }
        var page = Render<NotificationsPage>();

        page.WaitForElement("[data-id=whe_9]");
        Assert.False(page.Find("[data-testid=save-webhook]").HasAttribute("disabled"));
        page.Find("input[data-testid=webhook-url]").Change("https://hooks.acme.example/10");
        page.Find("[data-testid=save-webhook]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Equal("10", page.Find("[data-testid=webhook-count]").TextContent));
        Assert.True(page.Find("[data-testid=save-webhook]").HasAttribute("disabled"));
        Assert.Contains("delete one to add another", page.Find("[data-testid=webhook-limit-reached]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_s_refusal_of_an_eleventh_endpoint_is_shown_in_words()
    {
        Host.On<CreateWebhookEndpointRequest, CreateWebhookEndpointResponse>("WebhookService/CreateWebhookEndpoint", _ => throw FakeHost.Failure(
            StatusCode.FailedPrecondition, "TOO_MANY_WEBHOOK_ENDPOINTS", "A billing account keeps at most 10 webhook endpoints; delete one first."));
        var page = Render<NotificationsPage>();

        page.WaitForElement("input[data-testid=webhook-url]").Change("https://hooks.acme.example/11");
        page.Find("[data-testid=save-webhook]").Closest("form")!.Submit();

        Assert.Contains("at most 10 webhook endpoints; delete one first", page.WaitForElement("[data-testid=error]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("TOO_MANY", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_submitted_twice_while_its_call_is_under_way_is_added_once()
    {
        var answer = new TaskCompletionSource<CreateWebhookEndpointResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Host.OnAsync<CreateWebhookEndpointRequest, CreateWebhookEndpointResponse>("WebhookService/CreateWebhookEndpoint", _ => answer.Task);
        var page = Render<NotificationsPage>();

        page.WaitForElement("input[data-testid=webhook-url]").Change("https://hooks.acme.example/guance");
        page.Find("[data-testid=save-webhook]").Closest("form")!.Submit();
        // A double click: the second submit comes before the first call has answered.
        page.Find("[data-testid=save-webhook]").Closest("form")!.Submit();
        answer.SetResult(new CreateWebhookEndpointResponse { WebhookEndpoint = Endpoint("whe_1", "https://hooks.acme.example/guance"), Secret = "whsec_b25jZQ==" });

        page.WaitForElement("[data-testid=webhook-secret]");
        Assert.Single(Host.CallsOf<CreateWebhookEndpointRequest>("WebhookService/CreateWebhookEndpoint"));
    }

    [Fact]
    public void An_endpoint_is_edited_with_url_kinds_and_description_and_turned_off_with_enabled_alone()
    {
        var stored = Endpoint("whe_1", "https://hooks.acme.example/old");
        stored.Kinds.Add(NotificationKind.BillReady);
        _endpoints.Add(stored);
        Host.On<UpdateWebhookEndpointRequest, UpdateWebhookEndpointResponse>("WebhookService/UpdateWebhookEndpoint", r =>
        {
            foreach (var path in r.UpdateMask.Paths)
            {
                _ = path switch
                {
                    "url" => stored.Url = r.WebhookEndpoint.Url,
                    "description" => stored.Description = r.WebhookEndpoint.Description,
                    "enabled" => (stored.Enabled = r.WebhookEndpoint.Enabled).ToString(),
                    _ => "",
                };
            }
            return new UpdateWebhookEndpointResponse { WebhookEndpoint = stored };
        });
        var page = Render<NotificationsPage>();

        page.WaitForElement("[data-id=whe_1] [data-testid=edit-webhook]").Click();
        Assert.Equal("https://hooks.acme.example/old", page.Find("input[data-testid=webhook-url]").GetAttribute("value"));
        page.Find("input[data-testid=webhook-url]").Change("https://hooks.acme.example/new");
        page.Find("input[data-kind=TicketReplied]").Change(true);
        page.Find("[data-testid=save-webhook]").Closest("form")!.Submit();
        page.WaitForAssertion(() => Assert.Contains("/new", page.Find("[data-id=whe_1] [data-testid=webhook-endpoint-url]").TextContent, StringComparison.Ordinal));
        page.Find("[data-id=whe_1] [data-testid=toggle-webhook]").Click();

        page.WaitForAssertion(() => Assert.Equal("Off", page.Find("[data-id=whe_1] [data-testid=webhook-state]").TextContent.Trim()));
        Assert.Contains("it was turned off here", page.Find("[data-id=whe_1] [data-testid=webhook-off-reason]").TextContent, StringComparison.Ordinal);
        var updates = Host.CallsOf<UpdateWebhookEndpointRequest>("WebhookService/UpdateWebhookEndpoint").ToList();
        Assert.Equal(2, updates.Count);
        Assert.Equal(("whe_1", "https://hooks.acme.example/new"), (updates[0].WebhookEndpoint.WebhookEndpointId, updates[0].WebhookEndpoint.Url));
        Assert.Equal([NotificationKind.BillReady, NotificationKind.TicketReplied], updates[0].WebhookEndpoint.Kinds);
        Assert.Equal(["url", "kinds", "description"], updates[0].UpdateMask.Paths);
        Assert.Equal(("whe_1", false), (updates[1].WebhookEndpoint.WebhookEndpointId, updates[1].WebhookEndpoint.Enabled));
        Assert.Equal(["enabled"], updates[1].UpdateMask.Paths);
    }

    [Fact]
    public void An_endpoint_turned_off_by_Guance_says_so_and_a_failing_one_is_warned_before()
    {
        var given_up = Endpoint("whe_1", "https://hooks.acme.example/down");
        (given_up.Enabled, given_up.ConsecutiveFailures) = (false, 20);
        var failing = Endpoint("whe_2", "https://hooks.acme.example/flaky");
        failing.ConsecutiveFailures = 3;
        var healthy = Endpoint("whe_3", "https://hooks.acme.example/fine");
        _endpoints.AddRange([given_up, failing, healthy]);
        var page = Render<NotificationsPage>();

        var reason = page.WaitForElement("[data-id=whe_1] [data-testid=webhook-off-reason]").TextContent;
        Assert.Contains("Guance turned it off after 20 deliveries in a row failed for good", reason, StringComparison.Ordinal);
        Assert.Contains("Mend the receiver, turn it on", reason, StringComparison.Ordinal);
        Assert.Contains("The last 3 deliveries failed for good", page.Find("[data-id=whe_2] [data-testid=webhook-failing]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-id=whe_2] [data-testid=webhook-off-reason]"));
        Assert.Empty(page.FindAll("[data-id=whe_3] [data-testid=webhook-failing]"));
        Assert.Empty(page.FindAll("[data-id=whe_3] [data-testid=webhook-off-reason]"));
    }

    [Fact]
    public void Rotating_asks_first_then_shows_the_new_secret_once_and_until_when_the_old_one_signs()
    {
        _endpoints.Add(Endpoint("whe_1", "https://hooks.acme.example/guance"));
        Host.On<RotateWebhookEndpointSecretRequest, RotateWebhookEndpointSecretResponse>("WebhookService/RotateWebhookEndpointSecret", r =>
        {
            _endpoints[0].PreviousSecretExpireTime = Timestamp.FromDateTimeOffset(Now.AddHours(24));
            return new RotateWebhookEndpointSecretResponse { WebhookEndpoint = _endpoints[0], Secret = "whsec_cm90YXRlZA==" };
        });
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<NotificationsPage>();

        page.WaitForElement("[data-testid=rotate-webhook-secret]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Rotate the signing secret?", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Keep the current one", StringComparison.Ordinal)).Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Rotate the signing secret?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Host.CallsOf<RotateWebhookEndpointSecretRequest>("WebhookService/RotateWebhookEndpointSecret"));

        page.Find("[data-testid=rotate-webhook-secret]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Rotate it", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() => Assert.Equal("whsec_cm90YXRlZA==", page.Find("[data-testid=webhook-secret]").TextContent));
        Assert.Contains("until 2026-11-03 09:30 UTC+8", page.Find("[data-testid=webhook-secret-notice] [data-testid=previous-secret-until]").TextContent, StringComparison.Ordinal);
        Assert.Contains("until 2026-11-03 09:30 UTC+8", page.Find("[data-id=whe_1] [data-testid=previous-secret-until]").TextContent, StringComparison.Ordinal);
        Assert.Equal("whe_1", Host.CallsOf<RotateWebhookEndpointSecretRequest>("WebhookService/RotateWebhookEndpointSecret").Single().WebhookEndpointId);
    }

    [Fact]
    public void Deleting_asks_first_and_then_the_endpoint_is_gone()
    {
        _endpoints.Add(Endpoint("whe_1", "https://hooks.acme.example/guance"));
        Host.On<DeleteWebhookEndpointRequest, DeleteWebhookEndpointResponse>("WebhookService/DeleteWebhookEndpoint", r =>
        {
            _endpoints.RemoveAll(e => e.WebhookEndpointId == r.WebhookEndpointId);
            return new DeleteWebhookEndpointResponse();
        });
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<NotificationsPage>();

        page.WaitForElement("[data-testid=delete-webhook]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Nothing more is sent to https://hooks.acme.example/guance", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Keep it", StringComparison.Ordinal)).Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Delete the webhook endpoint?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Host.CallsOf<DeleteWebhookEndpointRequest>("WebhookService/DeleteWebhookEndpoint"));

        page.Find("[data-testid=delete-webhook]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Delete it", StringComparison.Ordinal)).Click());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=webhook-endpoint]")));
        Assert.Equal("whe_1", Host.CallsOf<DeleteWebhookEndpointRequest>("WebhookService/DeleteWebhookEndpoint").Single().WebhookEndpointId);
        Assert.NotNull(page.Find("[data-testid=no-webhooks]"));
    }

    internal static WebhookEndpoint Endpoint(string id, string url) => new()
    {
        WebhookEndpointId = id, BillingAccountId = BillingAccountId, Url = url, Enabled = true,
        CreateTime = Timestamp.FromDateTimeOffset(Now), UpdateTime = Timestamp.FromDateTimeOffset(Now),
    };
}
