using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Guance.Billing.Notifications;

/// <summary>
/// The e-mail channel: one multipart/alternative message (text and HTML, in a multipart/mixed beside the files of
/// <see cref="INoticeAttachments"/> when the notice has some) per delivery over SMTP (MailKit) when <c>Guance:Email:Host</c> is set,
/// else the log. The Message-ID is made of the notice id (<c>&lt;ntf_...@domain&gt;</c>) and the header
/// <c>X-Guance-Notification-Id</c> carries it too, so that a mailbox or a mail filter drops the copy
/// that a retry after a lost acknowledgement makes (docs/domain.md §9).
/// </summary>
public sealed class EmailNotificationSender(IOptionsMonitor<EmailOptions> options, LogNotificationSender log, IEnumerable<INoticeAttachments> attachments)
    : INotificationSender
{
    public const string NotificationIdHeader = "X-Guance-Notification-Id";

    public NotificationChannel Channel => NotificationChannel.Email;

    public async Task SendAsync(Notification notification, NoticeDelivery delivery, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.Configured)
        {
            await log.SendAsync(notification, delivery, cancellationToken);
            return;
        }
        var files = new List<NoticeAttachment>();
        foreach (var source in attachments)
        {
            files.AddRange(await source.ForAsync(notification, cancellationToken));
        }
        using var message = Message(settings, notification, delivery, files);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, settings.Timeout.TotalMilliseconds) };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, Security(settings.Tls), timeout.Token);
            if (!string.IsNullOrEmpty(settings.User))
            {
                await client.AuthenticateAsync(settings.User, settings.Password ?? "", timeout.Token);
            }
            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (SmtpCommandException e)
        {
            throw new InvalidOperationException($"SMTP {(int)e.StatusCode} on {e.ErrorCode}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"SMTP server {settings.Host}:{settings.Port} did not answer within {settings.Timeout}.", e);
        }
    }

    private static MimeMessage Message(EmailOptions settings, Notification notification, NoticeDelivery delivery, List<NoticeAttachment> files)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        message.To.Add(MailboxAddress.Parse(delivery.Recipient));
        message.Subject = notification.Subject;
        message.MessageId = $"{notification.Id}@{Domain(settings.FromAddress)}";
        message.Date = notification.CreatedAt;
        message.Headers.Add(NotificationIdHeader, notification.Id);
        // multipart/alternative: the plain text and the HTML of the kind's template; a notice written
        // before templates has no HTML, and gets its text HTML-encoded.
        var body = new BodyBuilder
        {
            TextBody = notification.Body,
            HtmlBody = notification.HtmlBody is { Length: > 0 } html
                ? html
                : $"<!DOCTYPE html><html><body><p>{WebUtility.HtmlEncode(notification.Body)}</p></body></html>",
        };
        foreach (var file in files)
        {
            body.Attachments.Add(file.FileName, file.Content, ContentType.Parse(file.ContentType));
        }
        message.Body = body.ToMessageBody();
        if (notification.Language.Length > 0)
        {
            // A Content-* header belongs to the body entity; on the message it would be dropped.
            message.Body.Headers.Add(HeaderId.ContentLanguage, notification.Language);
        }
        return message;
    }

    private static string Domain(string address) =>
        address.LastIndexOf('@') is var at and >= 0 && at < address.Length - 1 ? address[(at + 1)..] : "guance.invalid";

    private static SecureSocketOptions Security(EmailTlsMode mode) => mode switch
    {
        EmailTlsMode.None => SecureSocketOptions.None,
        EmailTlsMode.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
