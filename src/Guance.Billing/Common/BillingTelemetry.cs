using System.Diagnostics;

namespace Guance.Billing.Common;

/// <summary>
/// The domain's trace source and the names of its meters and span attributes, so that the host
/// registers exactly what the domain emits (docs/operations.md, "Telemetry").
/// </summary>
public static class BillingTelemetry
{
    public const string SourceName = "Guance.Billing";

    /// <summary>Every meter of the domain: usage ingestion, the jobs, notification delivery, cloud metering.</summary>
    public static readonly string[] MeterNames = ["Guance.Billing.Usage", "Guance.Billing.Jobs", "Guance.Billing.Notifications", "Guance.Billing.Cloud", "Guance.Billing.Wallets"];

    public const string WorkspaceAttribute = "guance.workspace_id";
    public const string BillingAccountAttribute = "guance.billing_account_id";
    public const string JobAttribute = "guance.job";
    public const string SiteAttribute = "guance.site";
    public const string BillingDayAttribute = "guance.billing_day";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span of one run of a scheduled job (null when nobody listens).</summary>
    public static Activity? StartJob(string job) =>
        Source.StartActivity($"job {job}")?.SetTag(JobAttribute, job);

    /// <summary>A span of the close of one site's billing day.</summary>
    public static Activity? StartDayClose(string siteCode, DateOnly day) =>
        Source.StartActivity("day close")?.SetTag(SiteAttribute, siteCode).SetTag(BillingDayAttribute, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}
