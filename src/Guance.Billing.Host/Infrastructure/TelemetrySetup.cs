using Guance.Billing.Common;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// OpenTelemetry for the host: the domain's meters and the runtime's, scraped at <c>/metrics</c> on the
/// ops endpoint; spans of every RPC, job and day close; everything exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (traces, metrics, and logs carrying their trace id).
/// </summary>
public static class TelemetrySetup
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddBillingTelemetry(this WebApplicationBuilder builder)
    {
        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("guance-billing"))
            .WithTracing(tracing => tracing
                // Without an exporter nobody reads spans: record none, so that ingestion pays nothing for them.
                .SetSampler(exporting ? new ParentBasedSampler(new AlwaysOnSampler()) : new AlwaysOffSampler())
                .AddSource(BillingTelemetry.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(BillingTelemetry.MeterNames)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (exporting)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
            telemetry.UseOtlpExporter();
        }
    }
}
