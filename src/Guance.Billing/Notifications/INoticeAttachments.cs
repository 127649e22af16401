namespace Guance.Billing.Notifications;

/// <summary>A file that goes with a notice's e-mail.</summary>
public sealed record NoticeAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>
/// The files that go with the e-mail of a notice of some kind (an issued electronic invoice's PDF), read when it
/// is sent rather than copied into the outbox; none for the other kinds.
/// </summary>
public interface INoticeAttachments
{
    Task<IReadOnlyList<NoticeAttachment>> ForAsync(Notification notification, CancellationToken cancellationToken);
}
