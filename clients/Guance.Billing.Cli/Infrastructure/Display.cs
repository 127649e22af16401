using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>How values look in tables.</summary>
public static class Display
{
    /// <summary>UTC, to the second, or empty when unset.</summary>
    public static string Time(Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Enum<T>(T value) where T : struct, System.Enum => CliEnum.Name(value);

    public static string Days(int days) => days == 0 ? "" : days.ToString(CultureInfo.InvariantCulture) + "d";
}
