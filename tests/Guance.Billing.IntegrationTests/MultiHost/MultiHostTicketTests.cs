using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Tickets;
using Guance.Billing.V1;
using Xunit.Abstractions;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// Tickets on two host processes sharing one PostgreSQL database: an attachment written through one
/// host is served by the other (the bytes are in the database), and the auto-close job, run by both
/// hosts as their simulated clocks pass the same instant, closes each ticket once with one notice.
/// </summary>
public sealed class MultiHostTicketTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Both_hosts_serve_the_attachments_and_their_auto_close_jobs_close_each_ticket_once()
    {
        await using var hosts = await SettlementCluster.StartAsync(output);
        var cluster = hosts.Cluster;
        var owner = await cluster.Api(0).Identity.SignUpAsync(new SignUpRequest { Email = $"owner.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "Owner" });
        var workspace = (await cluster.Api(0, owner.Token).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;

        var tickets = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var request = TicketKit.WorkspaceTicket(workspace, $"Ticket {i}");
            request.Attachments.Add(TicketKit.File("bill.pdf", TicketKit.Pdf));
            var ticket = await cluster.Api(i % 2, owner.Token).CreateAsync(request);
            await cluster.Operator(i % 2).Tickets.AcceptTicketAsync(new AcceptTicketRequest { TicketId = ticket.TicketId });
            await cluster.Operator((i + 1) % 2).Tickets.ReplyToTicketAsync(TicketKit.Reply(ticket.TicketId, "Fixed?"));
            tickets.Add(ticket.TicketId);
        }
        var attachment = (await cluster.Api(0, owner.Token).Tickets.GetTicketAsync(new GetTicketRequest { TicketId = tickets[0] })).Messages[0].Attachments[0];
        Assert.Equal(TicketKit.Pdf, await cluster.Api(1, owner.Token).DownloadAsync(attachment.AttachmentId));

        await hosts.AdvanceBothAsync(hosts.Start + TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        foreach (var id in tickets)
        {
            var ticket = await cluster.Api(1, owner.Token).GetAsync(id);
            Assert.Equal((TicketState.Closed, true), (ticket.State, ticket.ClosedAutomatically));
        }
        var notices = (await cluster.Operator(0).BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            Kinds = { NotificationKind.TicketClosed }, PageSize = 100,
        })).Notifications;
        Assert.Equal(tickets.Order(), notices.Select(n => n.Reference).Order());
        cluster.AssertNoErrorsLogged();
    }
}
