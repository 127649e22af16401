using Guance.Billing;
using Guance.Billing.Data;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Services;
using Guance.Billing.Identity;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGuanceBilling(builder.Configuration);
builder.Services.AddOperatorToken();
builder.Services.AddGrpc(grpc =>
{
    grpc.EnableDetailedErrors = false;
    grpc.Interceptors.Add<ErrorInterceptor>();
    grpc.Interceptors.Add<AuthenticationInterceptor>();
});
builder.Services.AddUsageGrpc();
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();

app.Services.GetRequiredService<OperatorToken>();
await DatabaseSetup.MigrateAsync(app.Services, app.Lifetime.ApplicationStopping);

app.MapGrpcService<IdentityGrpcService>();
app.MapGrpcService<WorkspaceGrpcService>();
app.MapGrpcService<UsageGrpcService>();
app.MapGrpcReflectionService();
app.MapGrpcHealthChecksService();

await app.RunAsync();

/// <summary>The host's entry point; public so that tests can start it in memory.</summary>
public partial class Program;
