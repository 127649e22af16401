using System.Security.Cryptography;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Tickets;

/// <summary>
/// Attachments (docs/domain.md §8): allowed types checked by their content, at most 8 MiB each and 5
/// per message, plain file names; a bad one refuses the whole message, naming it, and stores nothing;
/// good ones are stored in the database and streamed back byte for byte to whoever sees the ticket.
/// </summary>
public sealed class TicketAttachmentTests
{
    private const int EightMiB = 8 * 1024 * 1024;

    private static byte[] Sized(byte[] head, int size)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        head.CopyTo(bytes, 0);
        return bytes;
    }

    [Fact]
    public async Task A_good_set_is_stored_and_downloaded_byte_for_byte_by_whoever_sees_the_ticket()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var other = await host.RegisterBillingAccountAsync("other");
        var files = new (string Name, byte[] Content)[]
        {
            ("screen.PNG", Sized(TicketKit.Png, 200_000)), ("bill.pdf", TicketKit.Pdf), ("notes.docx", TicketKit.Docx),
            ("usage.xlsx", TicketKit.Xlsx), ("log.txt", TicketKit.Text),
        };
        var created = await account.Api.Tickets.CreateTicketAsync(TicketKit.AccountTicket(account.Id, attachments: files.Select(f => TicketKit.File(f.Name, f.Content)).ToArray()));
        var thread = await account.Api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = created.Ticket.TicketId });
        var listed = Assert.Single(thread.Messages).Attachments;
        Assert.Equal(files.Select(f => (f.Name, (long)f.Content.Length, Convert.ToHexStringLower(SHA256.HashData(f.Content)))),
            listed.Select(a => (a.FileName, a.SizeBytes, a.Sha256)));

        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(files[i].Content, await account.Api.DownloadAsync(listed[i].AttachmentId));
        }
        Assert.Equal(files[0].Content, await host.Operator.DownloadAsync(listed[0].AttachmentId));
        await RpcAssert.Fails(StatusCode.NotFound, () => other.Api.DownloadAsync(listed[0].AttachmentId), "TICKET_ATTACHMENT_NOT_FOUND");

        // Support replies with files of the other types.
        await host.AcceptAsync(created.Ticket.TicketId);
        var reply = await host.Operator.Tickets.ReplyToTicketAsync(TicketKit.Reply(created.Ticket.TicketId, "See attached.",
            TicketKit.File("a.gif", "GIF89a..."u8.ToArray()), TicketKit.File("b.jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 1]), TicketKit.File("c.bmp", "BM...."u8.ToArray()),
            TicketKit.File("d.zip", TicketKit.Zip("x.txt")), TicketKit.File("e.rar", "Rar!\x1A\x07\x01\x00"u8.ToArray())));
        Assert.Equal(5, reply.Message.Attachments.Count);
        Assert.Equal("Rar!\x1A\x07\x01\x00"u8.ToArray(), await account.Api.DownloadAsync(reply.Message.Attachments[4].AttachmentId));
    }

    [Fact]
    public async Task Each_bad_attachment_refuses_the_whole_message_naming_it_and_stores_nothing()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var good = TicketKit.File("bill.pdf", TicketKit.Pdf);
        var cases = new (TicketAttachmentUpload Bad, string Field)[]
        {
            (TicketKit.File("invoice.pdf", TicketKit.Exe), "content"),                  // a renamed exe
            (TicketKit.File("plain.docx", TicketKit.Zip("a.txt")), "content"),          // a zip that is no Word document
            (TicketKit.File("sheet.xlsx", TicketKit.Docx), "content"),                  // a Word document named as a workbook
            (TicketKit.File("big.png", Sized(TicketKit.Png, EightMiB + 1)), "content"), // 8 MiB + 1 byte
            (TicketKit.File("empty.txt", []), "content"),
            (TicketKit.File("nul.txt", [0x41, 0x00, 0x42]), "content"),
            (TicketKit.File("latin1.txt", [0x63, 0x61, 0x66, 0xE9]), "content"),        // not UTF-8
            (TicketKit.File("gif.png", "GIF89a"u8.ToArray()), "content"),
            (TicketKit.File("tool.exe", TicketKit.Exe), "file_name"),
            (TicketKit.File("../../etc/passwd.txt", TicketKit.Text), "file_name"),
            (TicketKit.File("dir\\a.txt", TicketKit.Text), "file_name"),
            (TicketKit.File("", TicketKit.Text), "file_name"),
            (TicketKit.File(new string('a', 252) + ".txt", TicketKit.Text), "file_name"),
            (TicketKit.File("noextension", TicketKit.Text), "file_name"),
        };
        foreach (var (bad, field) in cases)
        {
            var request = TicketKit.AccountTicket(account.Id, attachments: [good, good, bad]);
            await RpcAssert.InvalidFields(() => account.Api.Tickets.CreateTicketAsync(request), $"attachments[2].{field}");
        }
        // A sixth attachment.
        await RpcAssert.InvalidFields(() => account.Api.Tickets.CreateTicketAsync(TicketKit.AccountTicket(account.Id, attachments: [good, good, good, good, good, good])),
            "attachments");
        Assert.Empty((await account.Api.Tickets.ListTicketsAsync(new ListTicketsRequest())).Tickets);

        // On a reply too: nothing is added to the thread.
        var ticket = await account.Api.CreateAsync(TicketKit.AccountTicket(account.Id));
        await RpcAssert.InvalidFields(() => account.Api.Tickets.ReplyToTicketAsync(TicketKit.Reply(ticket.TicketId, "x", good, TicketKit.File("a.pdf", TicketKit.Exe))),
            "attachments[1].content");
        Assert.Single((await account.Api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = ticket.TicketId })).Messages);
    }

    [Fact]
    public async Task Five_attachments_of_8_MiB_with_the_longest_text_fit_in_one_request_and_more_does_not()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var largest = Sized(TicketKit.Pdf, EightMiB);
        var request = TicketKit.AccountTicket(account.Id, attachments: Enumerable.Range(0, 5).Select(i => TicketKit.File($"part{i}.pdf", largest)).ToArray());
        request.Description = new string('长', 10_000);
        var ticket = (await account.Api.Tickets.CreateTicketAsync(request)).Ticket;
        var thread = await account.Api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = ticket.TicketId });
        Assert.All(thread.Messages[0].Attachments, a => Assert.Equal(EightMiB, a.SizeBytes));
        Assert.Equal(largest, await account.Api.DownloadAsync(thread.Messages[0].Attachments[4].AttachmentId));

        // The service's receive limit: six such files do not reach the host's rules at all.
        request.Attachments.Add(TicketKit.File("part5.pdf", largest));
        request.RequestId = Guid.NewGuid().ToString();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await account.Api.Tickets.CreateTicketAsync(request));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Single((await account.Api.Tickets.ListTicketsAsync(new ListTicketsRequest())).Tickets);
    }
}
