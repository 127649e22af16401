using Google.Protobuf.WellKnownTypes;

namespace Guance.Billing.Host.Mapping;

/// <summary>Instants between the domain and google.protobuf.Timestamp.</summary>
public static class TimeMapping
{
    public static Timestamp ToTimestamp(this DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    public static Timestamp? ToTimestamp(this DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;

    /// <summary>An optional timestamp field; an unset field is null.</summary>
    public static DateTimeOffset? ToOptionalInstant(this Timestamp? value) => value?.ToDateTimeOffset();
}
