using Google.Protobuf;
using Guance.Billing.Tickets;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Tickets between the domain and the contract.</summary>
public static class TicketMapping
{
    public static V1.Ticket ToMessage(this Ticket ticket) => new()
    {
        TicketId = ticket.Id,
        BillingAccountId = ticket.BillingAccountId ?? "",
        WorkspaceId = ticket.WorkspaceId ?? "",
        Type = (V1.TicketType)ticket.Type,
        Title = ticket.Title,
        State = (V1.TicketState)ticket.State,
        CreatedByUserId = ticket.CreatedByUserId ?? "",
        CreateTime = ticket.CreatedAt.ToTimestamp(),
        UpdateTime = ticket.UpdatedAt.ToTimestamp(),
        FeedbackTime = ticket.FeedbackAt.ToTimestamp(),
        CloseTime = ticket.ClosedAt.ToTimestamp(),
        ClosedAutomatically = ticket.ClosedAutomatically,
        Rating = ticket.RatingStars is { } stars
            ? new V1.TicketRating { Stars = stars, Comment = ticket.RatingComment ?? "", RateTime = ticket.RatedAt.ToTimestamp() }
            : null,
        MessageCount = ticket.MessageCount,
    };

    public static V1.TicketMessage ToMessage(this TicketMessage message, IEnumerable<TicketAttachment> attachments)
    {
        var result = new V1.TicketMessage
        {
            MessageId = message.Id,
            Author = (V1.TicketAuthor)message.Author,
            AuthorUserId = message.AuthorUserId ?? "",
            Text = message.Text,
            CreateTime = message.CreatedAt.ToTimestamp(),
        };
        result.Attachments.Add(attachments.Select(a => new V1.TicketAttachment
        {
            AttachmentId = a.Id, FileName = a.FileName, SizeBytes = a.SizeBytes, Sha256 = a.Sha256,
        }));
        return result;
    }

    public static List<AttachmentUpload> ToUploads(this IEnumerable<V1.TicketAttachmentUpload> uploads) =>
        uploads.Select(u => new AttachmentUpload(u.FileName, u.Content.Memory)).ToList();

    /// <summary>An enum filter of a list request: null when unspecified (0).</summary>
    public static TEnum? ToFilter<TEnum>(int value) where TEnum : struct, Enum =>
        value == 0 ? null : (TEnum)Enum.ToObject(typeof(TEnum), value);

    public static ByteString ToChunk(ReadOnlyMemory<byte> bytes) => UnsafeByteOperations.UnsafeWrap(bytes);
}
