using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Guance.Billing.Data;

/// <summary>
/// Instants are stored as microseconds since the Unix epoch in a 64-bit integer: exact, ordered,
/// and the same on SQLite and PostgreSQL, so set-based SQL compares them without conversions.
/// </summary>
public sealed class UnixMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => ToMicroseconds(value),
    value => FromMicroseconds(value))
{
    public static long ToMicroseconds(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicroseconds(long value) => new(DateTimeOffset.UnixEpoch.UtcTicks + value * 10, TimeSpan.Zero);
}
