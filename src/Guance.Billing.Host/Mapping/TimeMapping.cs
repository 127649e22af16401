using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Common;

namespace Guance.Billing.Host.Mapping;

/// <summary>Instants between the domain and google.protobuf.Timestamp.</summary>
public static class TimeMapping
{
    private const long MinSeconds = -62_135_596_800; // 0001-01-01T00:00:00Z
    private const long MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z

    public const string TimestampRule = "must be a valid timestamp (seconds from 0001-01-01 to 9999-12-31, nanos 0 to 999,999,999)";

    /// <summary>
    /// To the microsecond, the precision instants are stored with: a time reads the same in the
    /// response that created it and in every later read.
    /// </summary>
    public static Timestamp ToTimestamp(this DateTimeOffset value) =>
        Timestamp.FromDateTimeOffset(value.AddTicks(-(value.UtcTicks % TimeSpan.TicksPerMicrosecond)));

    public static Timestamp? ToTimestamp(this DateTimeOffset? value) => value is { } v ? v.ToTimestamp() : null;

    /// <summary>
    /// The one reading of a request's timestamp: null when unset or out of range (seconds outside
    /// years 1 to 9999, nanos outside 0 to 999,999,999), for callers that refuse it in their own words.
    /// </summary>
    public static DateTimeOffset? ToInstantOrNull(this Timestamp? timestamp) =>
        timestamp is null ? null : InstantOrNull(timestamp.Seconds, timestamp.Nanos);

    /// <summary>The same reading of a timestamp's two fields, for <see cref="UsageBatchDecoder"/>, which reads them without a Timestamp.</summary>
    public static DateTimeOffset? InstantOrNull(long seconds, int nanos) =>
        seconds is < MinSeconds or > MaxSeconds || nanos is < 0 or > 999_999_999
            ? null
            : new DateTimeOffset(DateTimeOffset.UnixEpoch.Ticks + seconds * TimeSpan.TicksPerSecond + nanos / 100, TimeSpan.Zero);

    /// <summary>An optional timestamp field of a request: null when unset; INVALID_ARGUMENT naming <paramref name="field"/> when out of range.</summary>
    public static DateTimeOffset? ToOptionalInstant(this Timestamp? timestamp, string field) =>
        timestamp is null ? null : timestamp.ToInstantOrNull() ?? throw Errors.InvalidArgument(field, TimestampRule);
}
