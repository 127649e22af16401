using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>How values look in tables.</summary>
public static class Display
{
    /// <summary>UTC, to the second, or empty when unset.</summary>
    public static string Time(Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Enum<T>(T value) where T : struct, System.Enum => CliEnum.Name(value);

    public static string Days(int days) => days == 0 ? "" : days.ToString(CultureInfo.InvariantCulture) + "d";

    /// <summary>"1,234.50 CNY": two decimals and the currency, exact (see <see cref="MoneyAmounts.Format"/>).</summary>
    public static string Money(Money? money) => money.Format();

    /// <summary>A quantity of usage, grouped: 1,200,000.</summary>
    public static string Quantity(long quantity) => quantity.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A billing day as 2026-11-25; empty when unset.</summary>
    public static string Day(BillingDay? day) =>
        day is null || day.Year == 0 ? "" : $"{day.Year:0000}-{day.Month:00}-{day.Day:00}";

    public static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>A workspace as people know it, by its name; by its id when the host gave no name.</summary>
    public static string Workspace(string name, string id) => name.Length > 0 ? name : id;
}
