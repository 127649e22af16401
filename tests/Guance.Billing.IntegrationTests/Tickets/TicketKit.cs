using System.IO.Compression;
using System.Text;
using Google.Protobuf;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Tickets;

/// <summary>Files of each allowed type (real magic bytes), and tickets made through the public API.</summary>
public static class TicketKit
{
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n");
    public static readonly byte[] Exe = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00];
    public static readonly byte[] Text = Encoding.UTF8.GetBytes("Bill of 2026-11-02 looks wrong: 账单\n");

    public static byte[] Zip(params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open());
                writer.Write("<x/>");
            }
        }
        return buffer.ToArray();
    }

    public static byte[] Docx => Zip("[Content_Types].xml", "_rels/.rels", "word/document.xml");

    public static byte[] Xlsx => Zip("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml");

    public static TicketAttachmentUpload File(string name, byte[] content) => new() { FileName = name, Content = ByteString.CopyFrom(content) };

    public static CreateTicketRequest AccountTicket(string billingAccountId, string title = "Bill looks wrong", TicketType type = TicketType.BillingQuestion,
        params TicketAttachmentUpload[] attachments)
    {
        var request = new CreateTicketRequest
        {
            BillingAccountId = billingAccountId, Type = type, Title = title, Description = "The bill of 2026-11-02\nis 10 CNY too high.",
            RequestId = Guid.NewGuid().ToString(),
        };
        request.Attachments.Add(attachments);
        return request;
    }

    public static CreateTicketRequest WorkspaceTicket(string workspaceId, string title = "Usage missing", TicketType type = TicketType.BugReport) => new()
    {
        WorkspaceId = workspaceId, Type = type, Title = title, Description = "Logs of yesterday are not counted.", RequestId = Guid.NewGuid().ToString(),
    };

    public static async Task<Ticket> CreateAsync(this Api api, CreateTicketRequest request) => (await api.Tickets.CreateTicketAsync(request)).Ticket;

    public static ReplyToTicketRequest Reply(string ticketId, string text = "More detail.", params TicketAttachmentUpload[] attachments)
    {
        var request = new ReplyToTicketRequest { TicketId = ticketId, Text = text, RequestId = Guid.NewGuid().ToString() };
        request.Attachments.Add(attachments);
        return request;
    }

    public static async Task<Ticket> ReplyAsync(this Api api, string ticketId, string text = "More detail.") =>
        (await api.Tickets.ReplyToTicketAsync(Reply(ticketId, text))).Ticket;

    public static async Task<Ticket> AcceptAsync(this BillingHost host, string ticketId) =>
        (await host.Operator.Tickets.AcceptTicketAsync(new AcceptTicketRequest { TicketId = ticketId })).Ticket;

    public static async Task<Ticket> GetAsync(this Api api, string ticketId) =>
        (await api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = ticketId })).Ticket;

    public static async Task<byte[]> DownloadAsync(this Api api, string attachmentId)
    {
        using var call = api.Tickets.GetTicketAttachment(new GetTicketAttachmentRequest { AttachmentId = attachmentId });
        using var bytes = new MemoryStream();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.True(call.ResponseStream.Current.Data.Length <= 64 * 1024);
            call.ResponseStream.Current.Data.WriteTo(bytes);
        }
        return bytes.ToArray();
    }

    public static async Task<List<Notification>> TicketNoticesAsync(this BillingHost host, NotificationKind kind) =>
        (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest { Kinds = { kind }, PageSize = 1000 })).Notifications.ToList();

    /// <summary>A well-formed id that no ticket has.</summary>
    public const string UnknownTicketId = "tk_01kb0000000000000000000000";
}
