using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Layout;
using Guance.Billing.V1;

namespace Guance.Billing.Console.Formatting;

/// <summary>
/// Cards, vouchers and Huawei Cloud orders as their holder knows them: by face value and the day they came
/// (China time, the billing center's), never by their ids, which stay beside them for support.
/// </summary>
public static partial class Names
{
    /// <summary>
    /// A prepaid card by its face value, the one way the console names a card: "Prepaid card of CNY 1,000.00", and
    /// with the day it was bought when given, "Prepaid card of CNY 1,000.00, bought 2026-11-02".
    /// </summary>
    public static string Card(Money? faceValue, Timestamp? bought = null) =>
        $"Prepaid card of {Display.Money(faceValue)}" + (bought is null ? "" : ", bought " + DayOf(bought));

    public static string Of(PrepaidCard card) => Card(card.FaceValue, card.IssueTime);

    /// <summary>"Ordinary voucher of CNY 50.00, from 2026-11-02".</summary>
    public static string Of(Voucher voucher)
    {
        var from = voucher.RedeemTime ?? voucher.IssueTime;
        return $"{Of(voucher.Kind)} voucher of {Display.Money(voucher.FaceValue)}" + (from is null ? "" : ", from " + DayOf(from));
    }

    /// <summary>Where a Huawei Cloud card order stands, in words.</summary>
    public static string Of(HuaweiCardOrderState state) => state switch
    {
        HuaweiCardOrderState.Submitted => "Waiting for Huawei Cloud to confirm",
        HuaweiCardOrderState.Confirmed => "Confirmed",
        HuaweiCardOrderState.Rejected => "Rejected",
        _ => "",
    };

    private static string DayOf(Timestamp time) => Display.Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.ToDateTimeOffset(), BillingCenterRoute.Zone).DateTime));
}
