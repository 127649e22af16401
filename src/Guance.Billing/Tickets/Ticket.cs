namespace Guance.Billing.Tickets;

/// <summary>
/// A support ticket of one scope: a billing account's (<see cref="BillingAccountId"/>) or a
/// workspace's (<see cref="WorkspaceId"/>), never both. Its state changes only by conditional
/// updates (<see cref="TicketTransitions"/>), so that two callers or hosts never both move it.
/// </summary>
public sealed class Ticket
{
    public required string Id { get; init; }
    public string? BillingAccountId { get; init; }
    public string? WorkspaceId { get; init; }
    public TicketType Type { get; init; }
    public required string Title { get; init; }

    /// <summary>The title lower-cased (invariant), which the title keyword filter searches on either engine alike.</summary>
    public required string SearchTitle { get; init; }

    public TicketState State { get; set; }

    /// <summary>The console user who submitted a workspace's ticket; null for a billing account's.</summary>
    public string? CreatedByUserId { get; init; }

    /// <summary>Who submitted it (the billing account's or the user's id): the scope of <see cref="RequestId"/>.</summary>
    public required string SubmittedBy { get; init; }

    /// <summary>The create request's id, unique per submitter, and the fingerprint of what it asked.</summary>
    public required string RequestId { get; init; }

    public required string RequestFingerprint { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Support's last reply: the automatic close counts 7 days from here while <see cref="TicketState.FeedbackProvided"/>.</summary>
    public DateTimeOffset? FeedbackAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }
    public bool ClosedAutomatically { get; set; }
    public int MessageCount { get; set; }
    public int? RatingStars { get; set; }
    public string? RatingComment { get; set; }
    public DateTimeOffset? RatedAt { get; set; }
}

/// <summary>A message of a ticket's thread; the first one is the description.</summary>
public sealed class TicketMessage
{
    public required string Id { get; init; }
    public required string TicketId { get; init; }

    /// <summary>
    /// Its place in the thread, from 1 (the description): the ticket's message count as this message's
    /// conditional update left it, so the order holds across hosts whose ids and clocks may not agree.
    /// </summary>
    public int Sequence { get; init; }

    public TicketAuthor Author { get; init; }
    public string? AuthorUserId { get; init; }
    public required string Text { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The reply's request id, unique per ticket (the description's is the ticket's own).</summary>
    public required string RequestId { get; init; }

    public required string RequestFingerprint { get; init; }
}

/// <summary>The metadata of an attached file; its bytes are a <see cref="TicketAttachmentContent"/>.</summary>
public sealed class TicketAttachment
{
    public required string Id { get; init; }
    public required string TicketId { get; init; }
    public required string MessageId { get; init; }

    /// <summary>Its place among the message's attachments, from 0.</summary>
    public int Position { get; init; }

    public required string FileName { get; init; }
    public long SizeBytes { get; init; }
    public required string Sha256 { get; init; }
}

/// <summary>The bytes of an attachment, in the database so that every host serves them.</summary>
public sealed class TicketAttachmentContent
{
    public required string AttachmentId { get; init; }
    public required byte[] Content { get; init; }
}
