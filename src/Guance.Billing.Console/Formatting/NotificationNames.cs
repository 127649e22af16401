using Guance.Billing.V1;

namespace Guance.Billing.Console.Formatting;

/// <summary>The words for notices, their languages and their webhook deliveries (docs/domain.md §9).</summary>
public static partial class Names
{
    /// <summary>Every kind of notice an endpoint may ask for, in the contract's order.</summary>
    public static IReadOnlyList<NotificationKind> NotificationKinds { get; } =
        Enum.GetValues<NotificationKind>().Where(k => k != NotificationKind.Unspecified).ToArray();

    public static string Of(NotificationKind kind) => kind switch
    {
        NotificationKind.CardExpiringSoon => "Prepaid card expiring soon",
        NotificationKind.CardExpired => "Prepaid card expired",
        NotificationKind.VoucherExpired => "Voucher expired",
        NotificationKind.ArrearsStarted => "Arrears started",
        NotificationKind.ArrearsPaid => "Arrears paid",
        NotificationKind.BillReady => "Bill ready",
        NotificationKind.CertificationApproved => "Certification approved",
        NotificationKind.CertificationRejected => "Certification rejected",
        NotificationKind.WorkspaceLockWarning => "Workspace lock warning",
        NotificationKind.WorkspaceLocked => "Workspace locked",
        NotificationKind.WorkspaceUnlocked => "Workspace unlocked",
        NotificationKind.CloudSubscriptionCancelled => "Cloud subscription cancelled",
        NotificationKind.ConsumptionAlert => "High-consumption alert",
        NotificationKind.HuaweiCardOrderConfirmed => "Huawei Cloud card order confirmed",
        NotificationKind.HuaweiCardOrderRejected => "Huawei Cloud card order rejected",
        NotificationKind.InvoiceIssued => "Invoice issued",
        NotificationKind.InvoiceRejected => "Invoice request rejected",
        NotificationKind.InvoiceMailed => "Invoice mailed",
        NotificationKind.InvoiceReversed => "Invoice reversed",
        NotificationKind.TicketAccepted => "Ticket accepted",
        NotificationKind.TicketReplied => "Ticket replied to",
        NotificationKind.TicketClosed => "Ticket closed",
        NotificationKind.WebhookEndpointDisabled => "Webhook endpoint turned off",
        NotificationKind.WorkspaceUpgraded => "Workspace upgraded",
        _ => "",
    };

    /// <summary>The kinds an endpoint receives: "Every notice" when it named none.</summary>
    public static string OfKinds(IReadOnlyCollection<NotificationKind> kinds) =>
        kinds.Count == 0 ? "Every notice" : string.Join(", ", kinds.Select(Of));

    public static string Of(WebhookDeliveryState state) => state switch
    {
        WebhookDeliveryState.Pending => "Pending",
        WebhookDeliveryState.Sent => "Sent",
        WebhookDeliveryState.Failed => "Failed",
        _ => "",
    };

    /// <summary>
    /// One POST of a delivery: the host's account of a failed one (it names the status or why no answer came, as
    /// "HTTP 500: …" or "No answer within 10 s."), else the receiver's status code.
    /// </summary>
    public static string Of(WebhookAttempt attempt) =>
        attempt.Error.Length > 0 ? attempt.Error
        : attempt.StatusCode is >= 200 and < 300 ? $"HTTP {attempt.StatusCode}, accepted"
        : attempt.StatusCode == 0 ? "no answer" : $"HTTP {attempt.StatusCode}";
}
