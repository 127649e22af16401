using System.Globalization;

namespace Guance.Billing.Notifications.Webhooks;

/// <summary>The notice kinds of an endpoint as stored: their numbers, ascending, comma-separated; "" for every kind.</summary>
public static class WebhookKinds
{
    public static string Format(IEnumerable<NotificationKind> kinds) =>
        string.Join(',', kinds.Distinct().Order().Select(k => ((int)k).ToString(CultureInfo.InvariantCulture)));

    public static IReadOnlyList<NotificationKind> Parse(string stored) =>
        stored.Length == 0 ? [] : stored.Split(',').Select(k => (NotificationKind)int.Parse(k, CultureInfo.InvariantCulture)).ToList();
}
