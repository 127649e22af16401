namespace Guance.Billing.Notifications;

/// <summary>The kind of a notification (values equal the contract's).</summary>
public enum NotificationKind
{
    CardExpiringSoon = 1,
    CardExpired = 2,
    VoucherExpired = 3,
    ArrearsStarted = 4,
    ArrearsPaid = 5,
    BillReady = 6,
    CertificationApproved = 7,
    CertificationRejected = 8,
    WorkspaceLockWarning = 9,
    WorkspaceLocked = 10,
    WorkspaceUnlocked = 11,
    CloudSubscriptionCancelled = 12,
    ConsumptionAlert = 13,
    HuaweiCardOrderConfirmed = 14,
    HuaweiCardOrderRejected = 15,
    InvoiceIssued = 16,
    InvoiceRejected = 17,
    InvoiceMailed = 18,
    InvoiceReversed = 19,
    TicketReplied = 20,
    TicketClosed = 21,
    WebhookEndpointDisabled = 22,
    WorkspaceUpgraded = 23,
    TicketAccepted = 24,
}

/// <summary>
/// A notice of the outbox: written in the same database transaction as the event that causes it
/// (docs/domain.md §9). The dedupe key is unique, so one event makes at most one notice; it goes out
/// as one <see cref="NoticeDelivery"/> per channel and recipient, written with it.
/// </summary>
public sealed class Notification
{
    public required string Id { get; init; }
    public NotificationKind Kind { get; init; }
    public string? BillingAccountId { get; init; }

    /// <summary>Who it is for: an e-mail address.</summary>
    public required string Recipient { get; init; }

    public required string Subject { get; init; }

    /// <summary>The plain-text body, rendered from the kind's template in <see cref="Language"/>.</summary>
    public required string Body { get; init; }

    /// <summary>The same in HTML (values HTML-encoded); empty for notices written before templates.</summary>
    public string HtmlBody { get; init; } = "";

    /// <summary>The language it was written in: <c>zh-CN</c> or <c>en</c>; empty for notices written before templates.</summary>
    public string Language { get; init; } = "";

    /// <summary>The card, voucher, transaction or bill it is about.</summary>
    public required string Reference { get; init; }

    /// <summary>For example <c>card_expiring:card_...</c>: one notification per event.</summary>
    public required string DedupeKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
