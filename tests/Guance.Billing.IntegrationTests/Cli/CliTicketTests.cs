using System.Text;
using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>tickets: a billing account asks support with files attached, support answers, the account closes, rates and downloads.</summary>
[Collection(CliCollection.Name)]
public sealed class CliTicketTests(CliHost fixture)
{
    [Fact]
    public async Task An_account_and_support_work_a_ticket_through_with_attachments()
    {
        var account = await fixture.BillingAccountAsync("tickets");
        var me = account.SessionToken;
        var op = fixture.Host.OperatorToken!;
        var cli = fixture.NewCli();
        var folder = Directory.CreateTempSubdirectory("guance-tickets-");
        try
        {
            var pdf = Path.Combine(folder.FullName, "bill.pdf");
            var log = Path.Combine(folder.FullName, "host.txt");
            await File.WriteAllBytesAsync(pdf, Encoding.ASCII.GetBytes("%PDF-1.7\n%%EOF\n"));
            await File.WriteAllTextAsync(log, "2026-11-02 09:30 error\n");

            var created = await cli.RunAsync(As(me, "tickets", "create", "-a", account.BillingAccountId, "--type", "billing-question",
                "--title", "Bill of November 2", "-d", "10 CNY too much", "--attach", pdf, "--attach", log, "-o", "json"));
            created.Ok();
            var ticket = created.Json.At("ticket", "ticketId").GetString()!;
            Assert.Equal("TICKET_STATE_WAITING_FOR_ASSIGNMENT", created.Json.At("ticket", "state").GetString());

            var renamed = Path.Combine(folder.FullName, "tool.pdf");
            await File.WriteAllBytesAsync(renamed, [0x4D, 0x5A, 0x90, 0x00]);
            var refused = await cli.RunAsync(As(me, "tickets", "create", "-a", account.BillingAccountId, "--type", "other", "--title", "x", "-d", "y", "--attach", renamed));
            Assert.Equal(3, refused.ExitCode);
            Assert.Contains("attachments[0].content", refused.Stderr);

            (await cli.RunAsync(As(op, "tickets", "accept", ticket))).Ok();
            var answered = await cli.RunAsync(As(op, "tickets", "reply", ticket, "--text", "Corrected; see the note.", "--attach", log));
            answered.Ok();
            Assert.Matches(@"State:\s+feedback-provided", answered.Stdout);

            var listed = await cli.RunAsync(As(me, "tickets", "list", "--state", "feedback-provided", "--type", "billing-question", "--title", "november"));
            listed.Ok();
            Assert.Contains(ticket, listed.Stdout);
            var none = await cli.RunAsync(As(me, "tickets", "list", "--state", "closed", "-o", "json"));
            none.Ok();
            Assert.Equal(0, none.Json.GetProperty("tickets").GetArrayLength());

            var shown = await cli.RunAsync(As(me, "tickets", "show", ticket));
            shown.Ok();
            Assert.Contains("10 CNY too much", shown.Stdout);
            Assert.Contains("Corrected; see the note.", shown.Stdout);
            Assert.Contains("bill.pdf (15 bytes)", shown.Stdout);
            var thread = await cli.RunAsync(As(me, "tickets", "show", ticket, "-o", "json"));
            var attachmentId = thread.Json.GetProperty("messages")[0].GetProperty("attachments")[0].GetProperty("attachmentId").GetString()!;

            var copy = Path.Combine(folder.FullName, "copy.pdf");
            (await cli.RunAsync(As(me, "tickets", "download", attachmentId, "--file", copy))).Ok();
            Assert.Equal(await File.ReadAllBytesAsync(pdf), await File.ReadAllBytesAsync(copy));

            (await cli.RunAsync(As(me, "tickets", "reply", ticket, "--text", "Thanks.", "--request-id", "cli-ticket-reply-1"))).Ok();
            var closed = await cli.RunAsync(As(me, "tickets", "close", ticket));
            closed.Ok();
            Assert.Matches(@"State:\s+closed", closed.Stdout);
            var rated = await cli.RunAsync(As(me, "tickets", "rate", ticket, "--stars", "5", "--comment", "Quick"));
            rated.Ok();
            Assert.Matches(@"Rating:\s+5/5 Quick", rated.Stdout);
            var again = await cli.RunAsync(As(me, "tickets", "reply", ticket, "--text", "One more."));
            Assert.Equal(6, again.ExitCode);
            Assert.Contains("(WRONG_TICKET_STATE)", again.Stderr);

            var second = (await cli.RunAsync(As(me, "tickets", "create", "-a", account.BillingAccountId, "--type", "other", "--title", "Never mind", "-d", "x", "-o", "json")))
                .Json.At("ticket", "ticketId").GetString()!;
            Assert.Matches(@"State:\s+cancelled", (await cli.RunAsync(As(me, "tickets", "cancel", second))).Stdout);
            Assert.Matches(@"State:\s+waiting-for-assignment", (await cli.RunAsync(As(me, "tickets", "restart", second))).Stdout);
            var run = await cli.RunAsync(As(op, "tickets", "auto-close"));
            Assert.Equal("Closed 0 tickets.", run.Stdout.Trim());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
