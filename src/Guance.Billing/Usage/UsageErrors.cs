using Guance.Billing.Common;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// The refusals of ingestion, each with a stable reason an agent can act on (documented in docs/ingestion.md,
/// the page for agent authors). Batch rejections leave the stream open; the others end it.
/// </summary>
public static class UsageErrors
{
    /// <summary>
    /// A refused batch; its message repeats the violations (at most <see cref="BatchAggregator.MaxReportedViolations"/>), as every
    /// INVALID_ARGUMENT does, and with <paramref name="records"/> says how many of the batch's records are invalid.
    /// </summary>
    public static BillingException InvalidBatch(string reason, IReadOnlyCollection<FieldViolation> violations, long sequence, (int Invalid, int Total, int Unlisted)? records = null)
    {
        var listed = violations.Count == 0 ? "" : ": " + string.Join("; ", violations.Select(v => $"{v.Field} {v.Description}"));
        var counted = records is { } r
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" in {r.Invalid} of its {r.Total} records{(r.Unlisted > 0 ? $", {r.Unlisted} of them not listed" : "")}")
            : "";
        var error = new BillingException(ErrorKind.InvalidArgument, reason, $"The batch has invalid fields{counted}; nothing of it was applied{listed}.")
            .With("sequence", Text(sequence));
        error.FieldViolations.AddRange(violations);
        return error;
    }

    public static BillingException Closed(Site site, DateOnly day, DateTimeOffset closedAt, long sequence) =>
        Errors.Precondition(ErrorReasons.DayClosed, $"billing_days/{day:yyyy-MM-dd}",
                $"The billing day {day:yyyy-MM-dd} of site {site.Code} is closed to late records; drop them.")
            .With("billing_day", day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .With("site_code", site.Code)
            .With("day_start", Errors.Instant(site.StartOf(day)))
            .With("day_end", Errors.Instant(site.StartOf(day.AddDays(1))))
            .With("closed_at", Errors.Instant(closedAt))
            .With("sequence", Text(sequence));

    public static BillingException Locked(string workspaceId) =>
        Errors.Precondition(ErrorReasons.WorkspaceLocked, $"workspaces/{workspaceId}",
                "The workspace is locked for arrears; usage is refused until the arrears are paid. Hold the data and retry later.")
            .With("workspace_id", workspaceId);

    public static BillingException Dissolved(string workspaceId) =>
        Errors.Precondition(ErrorReasons.WorkspaceDissolved, $"workspaces/{workspaceId}", "The workspace has been dissolved; its usage is refused.")
            .With("workspace_id", workspaceId);

    public static BillingException NotOnExperience(BillingItemInfo item, Site site, long sequence) =>
        Errors.Precondition(ErrorReasons.ItemNotAvailableOnExperience, $"billing_items/{item.ContractName}",
                $"{item.DisplayName} is not available to experience-plan workspaces on site {site.Code}; stop reporting it (or upgrade to the commercial plan).")
            .With("billing_item", item.ContractName)
            .With("sequence", Text(sequence));

    public static BillingException NotOffered(BillingItemInfo item, Site site, long sequence) =>
        Errors.Precondition(ErrorReasons.ItemNotOfferedOnSite, $"billing_items/{item.ContractName}",
                $"{item.DisplayName} is not offered on site {site.Code} ({site.PriceRegion} price list); stop reporting it.")
            .With("billing_item", item.ContractName)
            .With("site_code", site.Code)
            .With("sequence", Text(sequence));

    public static BillingException NotEnabled(BillingItemInfo item, long sequence) =>
        Errors.Precondition(ErrorReasons.ItemNotEnabled, $"billing_items/{item.ContractName}",
                $"{item.DisplayName} is a retired item that this host does not accept; stop reporting it.")
            .With("billing_item", item.ContractName)
            .With("sequence", Text(sequence));

    public static BillingException Quota(BillingItemInfo item, Site site, DateOnly day, long quota, long wouldBe, DateTimeOffset resetsAt, long sequence) =>
        Errors.QuotaExhausted(ErrorReasons.ExperienceQuotaExhausted, item.ContractName,
                $"The experience plan's free {item.DisplayName} quota of {quota:N0} per day would be passed ({wouldBe:N0}) on {day:yyyy-MM-dd}; stop reporting {item.ContractName} until {Errors.SiteTime(site, resetsAt)}.")
            .With("billing_item", item.ContractName)
            .With("billing_day", day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .With("daily_quota", Text(quota))
            .With("resets_at", Errors.Instant(resetsAt))
            .With("sequence", Text(sequence));

    /// <summary>
    /// A batch that would take a workspace's day of an item past <see cref="UsageOptions.MaxDayQuantity"/>: far beyond any
    /// real agent, so a broken or hostile one; refused so that the day can still be summed and rated.
    /// </summary>
    public static BillingException DayQuantityLimit(BillingItemInfo item, Site site, DateOnly day, long limit, long wouldBe, long sequence) =>
        Errors.QuotaExhausted(ErrorReasons.DayQuantityLimitExceeded, item.ContractName,
                $"{item.DisplayName} of {day:yyyy-MM-dd} would reach {wouldBe:N0} {item.CountedUnit}, more than the {limit:N0} that one billing day may hold; nothing of the batch was applied. Drop these records and check the agent that counts them.")
            .With("billing_item", item.ContractName)
            .With("billing_day", day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .With("day_start", Errors.Instant(site.StartOf(day)))
            .With("day_end", Errors.Instant(site.StartOf(day.AddDays(1))))
            .With("max_day_quantity", Text(limit))
            .With("sequence", Text(sequence));

    public static BillingException WindowExceeded(int window) =>
        new BillingException(ErrorKind.ResourceExhausted, ErrorReasons.TooManyBatchesInFlight,
                $"More than {window} batches were sent without being answered; keep at most max_batches_in_flight unanswered.")
            .With("max_batches_in_flight", window.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static BillingException StreamLimit(string collectorId, int limit) =>
        new BillingException(ErrorKind.ResourceExhausted, ErrorReasons.TooManyStreams,
                $"Collector '{collectorId}' already has {limit} open streams on this host; close one or wait for the old stream to end, then retry with backoff.")
            .With("collector_id", collectorId)
            .With("max_streams_per_collector", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static BillingException TokenStreamLimit(string tokenId, int limit) =>
        new BillingException(ErrorKind.ResourceExhausted, ErrorReasons.TooManyTokenStreams,
                $"This collector token already has {limit} StreamUsage calls on this host; close idle ones, or retry with backoff.")
            .With("token_id", tokenId)
            .With("max_streams_per_token", Text(limit));

    public static BillingException HostStreamLimit(int limit) =>
        new BillingException(ErrorKind.ResourceExhausted, ErrorReasons.HostStreamsExhausted,
                $"This host already serves {limit} StreamUsage calls; retry with backoff (or on another host).")
            .With("max_streams", Text(limit));

    /// <summary>FAILED_PRECONDITION: a stream is opened first, within the open timeout; the agent reconnects and opens at once.</summary>
    public static BillingException OpenTimeout(TimeSpan timeout) =>
        Errors.Precondition(ErrorReasons.OpenTimeout, "open",
                $"No open came within {timeout.TotalSeconds:0.###} seconds of the stream's start; reconnect and send open first.")
            .With("open_timeout_seconds", timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));

    public static BillingException TooFarAhead(long sequence, long highest) =>
        InvalidBatch(ErrorReasons.SequenceTooFarAhead,
                [new FieldViolation("sequence", $"must be at most {Text(highest)}, the limit above the collector's last sequence and the time in microseconds since the epoch; count batches, or number them by the clock in microseconds")],
                sequence)
            .With("max_sequence", Text(highest));

    public static BillingException HostStopping() =>
        new(ErrorKind.Unavailable, ErrorReasons.HostStopping,
            "The host is stopping; every batch answered so far stands. Reconnect (to this or another host) and resume.");

    public static BillingException Unavailable() =>
        new(ErrorKind.Unavailable, ErrorReasons.StorageUnavailable,
            "The batch could not be committed; reconnect and resend from the last committed sequence.");

    /// <summary>
    /// A batch aggregated with the workspace's plan as the stream opened, which an upgrade has changed since (the
    /// period of its records would be wrong): not applied, and the stream ends so that the agent resumes on a new one.
    /// </summary>
    public static BillingException PlanChanged(string workspaceId) =>
        new BillingException(ErrorKind.Unavailable, ErrorReasons.WorkspacePlanChanged,
            "The workspace was upgraded while this stream was open; the batch was not applied. Reconnect and resume from the last committed sequence.")
            .With("workspace_id", workspaceId);

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
