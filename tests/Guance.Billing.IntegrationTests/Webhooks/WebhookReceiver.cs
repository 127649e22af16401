using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.IntegrationTests.Webhooks;

/// <summary>A request as the receiver got it.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string Body);

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) that records every POST and answers what the test
/// scripts per path: a status code, or never (a task that does not complete until the server stops).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> script = new();
    private readonly TaskCompletionSource never = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The answer meaning "never answer".</summary>
    public const int Hang = -1;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public string BaseUrl { get; private set; } = "";

    private WebhookReceiver(WebApplication app) => this.app = app;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    /// <summary>The next answers of <paramref name="path"/>, in order; after them, 200.</summary>
    public string Url(string path, params int[] answers)
    {
        script[path] = new ConcurrentQueue<int>(answers);
        return $"{BaseUrl}/{path}";
    }

    public IReadOnlyList<ReceivedWebhook> At(string path) => Received.Where(r => r.Path == path).ToList();

    private async Task<IResult> HandleAsync(HttpContext context, string path)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        Received.Enqueue(new ReceivedWebhook(path, headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), body));
        var answer = script.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : 200;
        if (answer == Hang)
        {
            await never.Task.WaitAsync(context.RequestAborted);
        }
        return Results.Text(answer == 200 ? "ok" : "receiver says no", statusCode: answer);
    }

    public async ValueTask DisposeAsync()
    {
        never.TrySetResult();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
