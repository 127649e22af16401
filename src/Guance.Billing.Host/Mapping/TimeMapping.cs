using Google.Protobuf.WellKnownTypes;

namespace Guance.Billing.Host.Mapping;

/// <summary>Instants between the domain and google.protobuf.Timestamp.</summary>
public static class TimeMapping
{
    /// <summary>
    /// To the microsecond, the precision instants are stored with: a time reads the same in the
    /// response that created it and in every later read.
    /// </summary>
    public static Timestamp ToTimestamp(this DateTimeOffset value) =>
        Timestamp.FromDateTimeOffset(value.AddTicks(-(value.UtcTicks % TimeSpan.TicksPerMicrosecond)));

    public static Timestamp? ToTimestamp(this DateTimeOffset? value) => value is { } v ? v.ToTimestamp() : null;

    /// <summary>An optional timestamp field; an unset field is null.</summary>
    public static DateTimeOffset? ToOptionalInstant(this Timestamp? value) => value?.ToDateTimeOffset();
}
