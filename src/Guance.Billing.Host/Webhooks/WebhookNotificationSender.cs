using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Host.Mapping;
using Guance.Billing.Notifications;
using Guance.Billing.Notifications.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace Guance.Billing.Host.Webhooks;

/// <summary>
/// The webhook channel (docs/domain.md §9): POSTs the notice as a <see cref="V1.WebhookEvent"/> in JSON,
/// signed per Standard Webhooks with every secret that signs now (two during a rotation's overlap),
/// and records the attempt. A 2xx answer is sent; anything else, a timeout or a connection error is
/// thrown, so that the delivery job retries it under the one retry policy of every channel.
/// </summary>
public sealed class WebhookNotificationSender(
    IHttpClientFactory clients, IServiceScopeFactory scopes, TimeProvider clock, IOptions<NotificationOptions> options) : INotificationSender
{
    public const string ClientName = "webhooks";

    /// <summary>The most bytes of an endpoint's answer read (for the delivery's last error).</summary>
    public const int MaxResponseBytes = 4096;

    public NotificationChannel Channel => NotificationChannel.Webhook;

    public async Task SendAsync(Notification notification, NoticeDelivery delivery, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.Recipient, cancellationToken)
            ?? throw new InvalidOperationException("The webhook endpoint was deleted.");
        var now = clock.GetUtcNow();
        var body = JsonFormatter.Default.Format(notification.ToWebhookEvent());
        var signature = string.Join(' ', endpoint.SigningSecrets(now).Select(secret => new StandardWebhook(secret).Sign(notification.Id, now, body)));

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", notification.Id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("guance-billing-webhooks", "1"));

        // A Stopwatch, not the injected clock: a simulated clock stands still while the endpoint answers.
        var elapsed = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.WebhookTimeout);
            try
            {
                using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    error = $"HTTP {status}: {await ReadStartAsync(response, timeout.Token)}";
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"No answer within {options.Value.WebhookTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.";
            }
            catch (HttpRequestException e)
            {
                error = $"Connection failed: {e.Message}";
            }
        }
        finally
        {
            db.WebhookAttempts.Add(new WebhookAttempt
            {
                Id = Ids.New("wha", clock),
                DeliveryId = delivery.Id,
                Number = delivery.Attempts,
                AttemptedAt = now,
                StatusCode = status,
                Error = error ?? (status is null ? "Cancelled." : null),
                DurationMilliseconds = elapsed.ElapsedMilliseconds,
            });
            await db.SaveChangesAsync(CancellationToken.None);
        }
        if (error is not null)
        {
            throw new WebhookDeliveryException(error);
        }
        await scope.ServiceProvider.GetRequiredService<WebhookHealth>().SentAsync(endpoint.Id, cancellationToken);
    }

    public async Task GaveUpAsync(NoticeDelivery delivery, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookHealth>().GaveUpAsync(delivery.Recipient, cancellationToken);
    }

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxResponseBytes];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }
}

/// <summary>A webhook attempt that did not get a 2xx answer; its message says what came back.</summary>
public sealed class WebhookDeliveryException(string message) : Exception(message);

public static class WebhookSenderServices
{
    /// <summary>The webhook channel: a named HTTP client that follows no redirects and reaches only allowed addresses, and the sender.</summary>
    public static IServiceCollection AddWebhookSender(this IServiceCollection services)
    {
        services.AddHttpClient(WebhookNotificationSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var options = provider.GetRequiredService<IOptions<NotificationOptions>>().Value;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    // Through a proxy the connection would go to the proxy, which would reach the endpoint unchecked.
                    UseProxy = false,
                    // Every address the endpoint's name resolves to is checked at each connection (WebhookDestinations).
                    ConnectCallback = (context, cancellationToken) => WebhookDestinations.ConnectAsync(context.DnsEndPoint, options, cancellationToken),
                };
            });
        services.AddSingleton<INotificationSender, WebhookNotificationSender>();
        return services;
    }
}
