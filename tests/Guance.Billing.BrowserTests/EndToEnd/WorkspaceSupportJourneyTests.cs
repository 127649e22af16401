using System.Text;
using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// A workspace member's ticket, in a real browser against the real host (docs/domain.md §8): a Standard member,
/// who has no Billing module, submits a ticket about the workspace from its menu; support accepts and replies
/// (through the API); the member reads the reply, closes the ticket and rates it.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class WorkspaceSupportJourneyTests(ConsoleHost console)
{
    [Fact]
    public async Task A_workspace_member_submits_a_ticket_reads_supports_reply_closes_and_rates_it()
    {
        var (workspaceId, email) = await console.WorkspaceWithMemberAsync(WorkspaceRole.Standard);
        await using var tab = await console.OpenAsync(nameof(A_workspace_member_submits_a_ticket_reads_supports_reply_closes_and_rates_it));
        var page = tab.Page;
        await tab.SignInAsync(email, ConsoleHost.Password);

        await page.GotoAsync($"workspaces/{workspaceId}");
        await tab.ByTestId("tickets-menu").ClickAsync();
        await page.WaitForURLAsync($"**/workspaces/{workspaceId}/tickets");
        await Assertions.Expect(tab.ByTestId("tickets")).ToContainTextAsync("No ticket.");
        await page.Locator("[data-testid=ticket-type]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Bug report" }).ClickAsync();
        await tab.Input("ticket-title").FillAsync("Agent refused since this morning");
        await page.Locator("textarea[data-testid=ticket-description], [data-testid=ticket-description] textarea").First.FillAsync("The collector token of the hosts is refused.");
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "agent.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes("401 at 09:00") });
        await Assertions.Expect(tab.ByTestId("attached-file")).ToContainTextAsync("agent.txt");
        await tab.ScreenshotAsync("workspace-ticket-new");
        await tab.ByTestId("submit-ticket").ClickAsync();
        await page.WaitForURLAsync($"**/workspaces/{workspaceId}/tickets/tk_*");
        await Assertions.Expect(tab.ByTestId("ticket-state")).ToHaveTextAsync("Waiting for assignment");
        await Assertions.Expect(tab.ByTestId("download-attachment")).ToContainTextAsync("agent.txt");

        // The ticket is the workspace's, submitted by the member.
        var ticketId = page.Url.Split('/')[^1];
        var submitted = (await console.Host.Operator.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = ticketId })).Ticket;
        Assert.Equal((workspaceId, TicketType.BugReport), (submitted.WorkspaceId, submitted.Type));

        // Support accepts and replies through the API; the member finds the reply from the list.
        await console.Host.Operator.Tickets.AcceptTicketAsync(new AcceptTicketRequest { TicketId = ticketId });
        await console.Host.Operator.Tickets.ReplyToTicketAsync(new ReplyToTicketRequest { TicketId = ticketId, Text = "The token was revoked; create a new one.", RequestId = "e2e-workspace-reply" });
        await page.GetByRole(AriaRole.Link, new() { Name = "All tickets" }).ClickAsync();
        await Assertions.Expect(tab.ByTestId("ticket-state")).ToHaveTextAsync("Feedback provided");
        await tab.ByTestId("ticket-link").ClickAsync();
        await Assertions.Expect(tab.ByTestId("support-message")).ToContainTextAsync("create a new one");
        await tab.ScreenshotAsync("workspace-ticket-reply");

        await tab.ByTestId("close-ticket").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Close it" }).ClickAsync();
        await Assertions.Expect(tab.ByTestId("ticket-state")).ToHaveTextAsync("Closed");
        await page.Locator(".mud-rating-item").Nth(3).ClickAsync();
        await tab.Input("rating-comment").FillAsync("Quick answer.");
        await tab.ByTestId("rate").ClickAsync();
        await Assertions.Expect(tab.ByTestId("rating")).ToContainTextAsync("4 of 5 · Quick answer.");
        await tab.ScreenshotAsync("workspace-ticket-rated");

        var rated = (await console.Host.Operator.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = ticketId })).Ticket;
        Assert.Equal((TicketState.Closed, 4), (rated.State, rated.Rating.Stars));
        Assert.Empty(tab.Errors);
    }
}
