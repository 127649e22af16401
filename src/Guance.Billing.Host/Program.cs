using Guance.Billing;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Services;
using Guance.Billing.Host.Webhooks;
using Guance.Billing.Identity;

// The content root is where the host's files are (appsettings.json among them), not the working
// directory, so that `dotnet path/to/Guance.Billing.Host.dll` from anywhere serves h2c as configured.
// Relative data paths (Guance:DataDirectory) still resolve against the working directory.
var phases = new StartupPhases();
var grpcUrls = HostEndpoints.TakeGrpcUrls(ref args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.ConfigureEndpoints(grpcUrls);
builder.AddBillingTelemetry();
builder.AddConsole();
// Headers far larger than any the host accepts still reach it, so that AuthenticationInterceptor answers
// UNAUTHENTICATED HEADER_TOO_LARGE instead of Kestrel dropping the connection (UNAVAILABLE, which clients retry).
builder.WebHost.ConfigureKestrel((context, kestrel) =>
{
    const int headerBound = 1024 * 1024;
    kestrel.Limits.MaxRequestHeadersTotalSize = headerBound;
    kestrel.Limits.Http2.MaxRequestHeaderFieldSize = headerBound;
    // Streams one connection carries at once (a proxy of many agents); one more waits silently (docs/operations.md).
    kestrel.Limits.Http2.MaxStreamsPerConnection = context.Configuration.GetValue(HostEndpoints.MaxStreamsPerConnectionKey, 100);
});

builder.Services.AddGuanceBilling(builder.Configuration);
builder.Services.AddOperatorToken();
builder.Services.AddGrpc(grpc =>
{
    grpc.EnableDetailedErrors = false;
    // gzip only, whole (deflate is not taken: MalformedFrameMiddleware and CallerStreamReader answer it).
    grpc.CompressionProviders = [new WholeGzip.Provider()];
    grpc.Interceptors.Add<ErrorInterceptor>();
    grpc.Interceptors.Add<AuthenticationInterceptor>();
    grpc.Interceptors.Add<TelemetryInterceptor>();
});
builder.Services.AddUsageGrpc();
builder.Services.AddInvoiceGrpc();
builder.Services.AddTicketGrpc();
builder.Services.AddWebhookSender();
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database", timeout: TimeSpan.FromSeconds(5));
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
// After every AddGrpc*: a request that does not parse answers INVALID_ARGUMENT MALFORMED_REQUEST.
builder.Services.AddMalformedRequestAnswers();

var app = builder.Build();
phases.LogTo(app);
phases.Mark("services configured, host built");

app.Services.GetRequiredService<OperatorToken>();
// Migrations and the first health check run beside the endpoint mapping; the host listens after both.
var database = DatabaseStartup.PrepareAsync(app.Services, phases.Mark, app.Lifetime.ApplicationStopping);

app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == "/metrics" && HostEndpoints.IsOpsRequest(context));
app.UseConsole();
app.UseMiddleware<MalformedFrameMiddleware>();
app.MapGrpcService<IdentityGrpcService>();
app.MapGrpcService<WorkspaceGrpcService>();
app.MapGrpcService<BillingAccountGrpcService>();
app.MapGrpcService<UsageGrpcService>();
app.MapGrpcService<SettlementGrpcService>();
app.MapGrpcService<MonthlyBillGrpcService>();
app.MapGrpcService<CloudMarketplaceGrpcService>();
app.MapGrpcService<ConsumptionAlertGrpcService>();
app.MapGrpcService<InvoiceGrpcService>();
app.MapGrpcService<TicketGrpcService>();
app.MapGrpcService<WebhookGrpcService>();
app.MapGrpcReflectionService();
app.MapGrpcHealthChecksService();
phases.Mark("endpoints mapped");
await database;

await app.RunAsync();

/// <summary>The host's entry point; public so that tests can start it in memory.</summary>
public partial class Program;
