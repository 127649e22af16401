using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// The README's "Support tickets" section through <c>buf curl</c> and server reflection, against a host
/// process: a member creates a ticket with a PDF attached, reads the thread, support accepts and replies.
/// </summary>
public sealed class BufCurlTicketTests
{
    [Fact]
    public async Task The_readme_ticket_walkthrough_runs_against_a_host()
    {
        await using var host = await HostProcess.StartAsync(new HostProcessOptions { Settings = { ["Guance:Security:PasswordHashIterations"] = "1000" } });
        var s = host.Address;
        var op = host.OperatorToken!;
        const string Service = "guance.billing.v1.TicketService/";
        var token = (await host.Api().Identity.SignUpAsync(new SignUpRequest { Email = "ann@example.com", Password = "correct horse battery", DisplayName = "Ann" })).Token;
        var ws = (await host.Api(token).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;

        var created = (await BufCurl.CallAsync(s, Service + "CreateTicket",
            $$"""{"workspace_id":"{{ws}}","type":"TICKET_TYPE_BILLING_QUESTION","title":"Logs not counted","description":"Since 2026-11-01.","attachments":[{"file_name":"note.pdf","content":"JVBERi0xLjc="}],"request_id":"t-1"}""",
            token)).Json().GetProperty("ticket");
        var ticket = created.GetProperty("ticketId").GetString()!;
        Assert.Equal("TICKET_STATE_WAITING_FOR_ASSIGNMENT", created.GetProperty("state").GetString());
        var thread = (await BufCurl.CallAsync(s, Service + "GetTicket", $$"""{"ticket_id":"{{ticket}}"}""", token)).Json();
        var attachment = thread.GetProperty("messages")[0].GetProperty("attachments")[0];
        Assert.Equal(("note.pdf", "8"), (attachment.GetProperty("fileName").GetString(), attachment.GetProperty("sizeBytes").GetString()));

        await BufCurl.CallAsync(s, Service + "AcceptTicket", $$"""{"ticket_id":"{{ticket}}"}""", op);
        var replied = (await BufCurl.CallAsync(s, Service + "ReplyToTicket", $$"""{"ticket_id":"{{ticket}}","text":"Fixed, please check.","request_id":"r-1"}""", op)).Json();
        Assert.Equal("TICKET_STATE_FEEDBACK_PROVIDED", replied.GetProperty("ticket").GetProperty("state").GetString());
        Assert.Equal("TICKET_AUTHOR_SUPPORT", replied.GetProperty("message").GetProperty("author").GetString());

        // The attachment streams back as written.
        var chunk = (await BufCurl.CallAsync(s, Service + "GetTicketAttachment", $$"""{"attachment_id":"{{attachment.GetProperty("attachmentId").GetString()}}"}""", token)).Json();
        Assert.Equal("JVBERi0xLjc=", chunk.GetProperty("data").GetString());
    }
}
