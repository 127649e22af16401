using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Pages;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// A workspace's tickets in the console (docs/domain.md §8): every member sees, submits and replies to them;
/// the member who submitted one closes, cancels, restarts and rates it.
/// </summary>
public sealed class WorkspaceTicketsPageTests : ConsoleContext
{
    // The signed-in user (ConsoleContext.SignInAsync) and another member.
    private const string Me = "usr_1";
    private const string Colleague = "usr_2";

    public WorkspaceTicketsPageTests()
    {
        Host.On<ListTicketsRequest, ListTicketsResponse>("TicketService/ListTickets", _ => new ListTicketsResponse
        {
            Tickets =
            {
                new Ticket { TicketId = "tk_1", WorkspaceId = WorkspaceId, Title = "Agent refused", Type = TicketType.BugReport, State = TicketState.WaitingForAssignment, CreateTime = Timestamp.FromDateTime(new DateTime(2026, 11, 2, 1, 0, 0, DateTimeKind.Utc)), CreatedByUserId = Colleague },
                new Ticket { TicketId = "tk_2", WorkspaceId = WorkspaceId, Title = "Invoice", Type = TicketType.BugReport, State = TicketState.Closed, CreatedByUserId = Me },
                new Ticket { TicketId = "tk_3", WorkspaceId = WorkspaceId, Title = "Old question", Type = TicketType.BugReport, State = TicketState.Closed, CreatedByUserId = "usr_gone" },
            },
        });
    }

    [Fact]
    public async Task A_standard_member_sees_the_workspaces_tickets_in_the_sites_time()
    {
        await MemberAsync(WorkspaceRole.Standard);
        var page = Render<WorkspaceTicketsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Equal("Waiting for assignment", page.WaitForElement("[data-testid=ticket-state]").TextContent);
        Assert.Equal("2026-11-02 09:00 UTC+8", page.Find("[data-testid=tickets]").QuerySelectorAll("td")[4].TextContent);
        Assert.Equal($"workspaces/{WorkspaceId}/tickets/tk_1", page.Find("[data-testid=ticket-link]").GetAttribute("href"));
        // Each ticket names the member who submitted it, as the ticket's page names authors.
        Assert.Equal(["Wang Fang", "You", "A former member"], page.FindAll("[data-testid=ticket-submitter]").Select(s => s.TextContent));
        var listed = Host.CallsOf<ListTicketsRequest>("TicketService/ListTickets").Single();
        Assert.Equal((WorkspaceId, ""), (listed.WorkspaceId, listed.BillingAccountId));
    }

    [Fact]
    public async Task The_filters_of_a_search_are_sent_and_kept_for_its_next_page()
    {
        await MemberAsync(WorkspaceRole.ReadOnly);
        Host.On<ListTicketsRequest, ListTicketsResponse>("TicketService/ListTickets", r => r.PageToken == ""
            ? new ListTicketsResponse { Tickets = { new Ticket { TicketId = "tk_2", Title = "Second agent", State = TicketState.Closed } }, NextPageToken = "p2" }
            : new ListTicketsResponse { Tickets = { new Ticket { TicketId = "tk_1", Title = "First agent", State = TicketState.Closed } } });
        var page = Render<WorkspaceTicketsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("[data-testid=ticket-link]");

        page.Find("[data-testid=filter-keyword] input, input[data-testid=filter-keyword]").Change(" agent ");
        page.Find("[data-testid=filter-from] input, input[data-testid=filter-from]").Change("2026-11-02");
        page.Find("[data-testid=search-tickets]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, Host.CallsOf<ListTicketsRequest>("TicketService/ListTickets").Count()));
        page.WaitForElement("[data-testid=more-tickets]").Click();

        page.WaitForAssertion(() => Assert.Equal(["Second agent", "First agent"], page.FindAll("[data-testid=ticket-link]").Select(a => a.TextContent)));
        var next = Host.CallsOf<ListTicketsRequest>("TicketService/ListTickets").Last();
        Assert.Equal((WorkspaceId, "p2", "agent"), (next.WorkspaceId, next.PageToken, next.TitleKeyword));
        // The day begins at the site's midnight (cn1: China time).
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8)), next.CreateTimeFrom.ToDateTimeOffset());
    }

    [Fact]
    public async Task A_member_submits_a_ticket_about_the_workspace_with_its_files_and_its_page_opens()
    {
        await MemberAsync(WorkspaceRole.Standard);
        Host.On<CreateTicketRequest, CreateTicketResponse>("TicketService/CreateTicket", r => new CreateTicketResponse { Ticket = new Ticket { TicketId = "tk_2", WorkspaceId = r.WorkspaceId, Title = r.Title } });
        var page = Render<WorkspaceTicketsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("401 at 09:00", "agent.log.txt"));
        page.WaitForAssertion(() => Assert.Contains("agent.log.txt", page.Find("[data-testid=attached-file]").TextContent, StringComparison.Ordinal));
        page.Find("[data-testid=ticket-title] input, input[data-testid=ticket-title]").Input("Agent refused");
        page.Find("[data-testid=ticket-description] textarea, textarea[data-testid=ticket-description]").Input("Since this morning.");
        page.Find("[data-testid=submit-ticket]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.EndsWith($"workspaces/{WorkspaceId}/tickets/tk_2", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        var sent = Host.CallsOf<CreateTicketRequest>("TicketService/CreateTicket").Single();
        Assert.Equal((WorkspaceId, "", "Agent refused", "Since this morning."), (sent.WorkspaceId, sent.BillingAccountId, sent.Title, sent.Description));
        Assert.Equal("agent.log.txt", sent.Attachments.Single().FileName);
        Assert.NotEmpty(sent.RequestId);
    }

    [Fact]
    public async Task A_member_who_did_not_submit_the_ticket_replies_but_is_offered_no_close_or_cancel()
    {
        await MemberAsync(WorkspaceRole.Administrator);
        var messages = new List<TicketMessage>
        {
            new() { Author = TicketAuthor.Submitter, AuthorUserId = Colleague, Text = "The agent is refused." },
            new() { Author = TicketAuthor.Support, Text = "Which token?" },
        };
        GetTicket(() => new GetTicketResponse { Ticket = Ticket(TicketState.FeedbackProvided, submittedBy: Colleague), Messages = { messages } });
        Host.On<ReplyToTicketRequest, ReplyToTicketResponse>("TicketService/ReplyToTicket", r =>
        {
            messages.Add(new TicketMessage { Author = TicketAuthor.Submitter, AuthorUserId = Me, Text = r.Text });
            return new ReplyToTicketResponse();
        });
        var page = RenderTicket();

        Assert.Contains("Which token?", page.WaitForElement("[data-testid=support-message]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=reply-text] textarea, textarea[data-testid=reply-text]").Change("The production one.");
        page.Find("[data-testid=reply]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=submitter-message]").Count));
        Assert.Equal(["Wang Fang", "You"], page.FindAll("[data-testid=submitter-message] .mud-typography-subtitle2").Select(h => h.TextContent.Split(" · ")[0]));
        Assert.Equal(("tk_1", "The production one."), Host.CallsOf<ReplyToTicketRequest>("TicketService/ReplyToTicket").Select(r => (r.TicketId, r.Text)).Single());
        Assert.Empty(page.FindAll("[data-testid=close-ticket]"));
        Assert.Contains("Only the member who submitted this ticket", page.Find("[data-testid=submitter-only]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_of_a_member_who_has_left_says_so_and_a_member_without_a_name_is_named_by_e_mail()
    {
        await MemberAsync(WorkspaceRole.Standard);
        Host.On<ListMembersRequest, ListMembersResponse>("WorkspaceService/ListMembers", _ => new ListMembersResponse
        {
            Members = { new Member { UserId = Me, DisplayName = "Li Wei" }, new Member { UserId = Colleague, Email = "ops@example.com" } },
        });
        GetTicket(() => new GetTicketResponse
        {
            Ticket = Ticket(TicketState.FeedbackProvided, submittedBy: "usr_gone"),
            Messages =
            {
                new TicketMessage { Author = TicketAuthor.Submitter, AuthorUserId = "usr_gone", Text = "Refused since 09:00." },
                new TicketMessage { Author = TicketAuthor.Submitter, AuthorUserId = Colleague, Text = "Here too." },
            },
        });
        var page = RenderTicket();

        page.WaitForAssertion(() => Assert.Equal(["A former member", "ops@example.com"],
            page.FindAll("[data-testid=submitter-message] .mud-typography-subtitle2").Select(h => h.TextContent.Split(" · ")[0])));
        Assert.Equal(WorkspaceId, Host.CallsOf<ListMembersRequest>("WorkspaceService/ListMembers").Single().WorkspaceId);
    }

    [Fact]
    public async Task A_member_still_reads_the_thread_when_the_members_cannot_be_read_and_others_are_named_only_as_members()
    {
        await MemberAsync(WorkspaceRole.Standard);
        Host.On<ListMembersRequest, ListMembersResponse>("WorkspaceService/ListMembers", _ => throw FakeHost.Failure(Grpc.Core.StatusCode.Unavailable, "STORAGE_UNAVAILABLE", "Try again."));
        GetTicket(() => new GetTicketResponse
        {
            Ticket = Ticket(TicketState.FeedbackProvided, submittedBy: Colleague),
            Messages = { new TicketMessage { Author = TicketAuthor.Submitter, AuthorUserId = Colleague, Text = "Refused since 09:00." } },
        });
        var page = RenderTicket();

        page.WaitForAssertion(() => Assert.Equal("Another member", page.Find("[data-testid=submitter-message] .mud-typography-subtitle2").TextContent.Split(" · ")[0]));
        Assert.NotNull(page.Find("[data-testid=reply-form]"));
    }

    [Fact]
    public async Task The_submitter_closes_the_ticket_after_confirming_and_then_rates_it()
    {
        await MemberAsync(WorkspaceRole.Standard);
        var ticket = Ticket(TicketState.FeedbackProvided, submittedBy: Me);
        GetTicket(() => new GetTicketResponse { Ticket = ticket });
        Host.On<CloseTicketRequest, CloseTicketResponse>("TicketService/CloseTicket", _ =>
        {
            ticket = new Ticket(ticket) { State = TicketState.Closed };
            return new CloseTicketResponse { Ticket = ticket };
        });
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = RenderTicket();

        Assert.Empty(page.WaitForElement("[data-testid=reply-form]").QuerySelectorAll("[data-testid=cancel-ticket]"));
        page.Find("[data-testid=close-ticket]").Click();
        ConfirmClosing(dialogs);

        page.WaitForAssertion(() => Assert.Equal("Closed", page.Find("[data-testid=ticket-state]").TextContent));
        Assert.Equal("tk_1", Host.CallsOf<CloseTicketRequest>("TicketService/CloseTicket").Single().TicketId);
        Assert.NotNull(page.Find("[data-testid=rating-form]"));
        Assert.Empty(page.FindAll("[data-testid=reply]"));
        Assert.Empty(page.FindAll("[data-testid=submitter-only]"));
    }

    [Fact]
    public async Task The_owner_is_offered_no_close_of_a_ticket_whose_submitter_is_still_a_member()
    {
        await MemberAsync(WorkspaceRole.Owner);
        Members(Me, Colleague);
        GetTicket(() => new GetTicketResponse { Ticket = Ticket(TicketState.WaitingForAssignment, submittedBy: Colleague) });
        var page = RenderTicket();

        page.WaitForElement("[data-testid=submitter-only]");
        Assert.Empty(page.FindAll("[data-testid=close-ticket]"));
        Assert.NotNull(page.Find("[data-testid=reply-form]"));
        Assert.Equal(WorkspaceId, Host.CallsOf<ListMembersRequest>("WorkspaceService/ListMembers").Single().WorkspaceId);
    }

    [Fact]
    public async Task The_owner_closes_a_ticket_whose_submitter_has_left_and_sees_a_refusal_of_the_host()
    {
        await MemberAsync(WorkspaceRole.Owner);
        Members(Me);
        GetTicket(() => new GetTicketResponse { Ticket = Ticket(TicketState.WaitingForAssignment, submittedBy: Colleague) });
        // The submitter came back meanwhile: the host refuses, and says why.
        Host.On<CloseTicketRequest, CloseTicketResponse>("TicketService/CloseTicket", _ => throw FakeHost.Failure(Grpc.Core.StatusCode.PermissionDenied, "TICKET_SUBMITTER_REQUIRED",
            "Only the member who submitted ticket tk_1 (or the Owner, once that member has left the workspace) may close, cancel, restart or rate it; other members may reply."));
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = RenderTicket();

        page.WaitForElement("[data-testid=close-ticket]").Click();
        ConfirmClosing(dialogs);

        Assert.Contains("Only the member who submitted ticket tk_1", page.WaitForElement("[data-testid=error]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Waiting for assignment", page.Find("[data-testid=ticket-state]").TextContent);
        Assert.Equal("tk_1", Host.CallsOf<CloseTicketRequest>("TicketService/CloseTicket").Single().TicketId);
    }

    [Fact]
    public async Task A_reply_drafted_on_one_ticket_is_not_carried_to_the_next_one_opened_on_the_page()
    {
        await MemberAsync(WorkspaceRole.Standard);
        Host.On<GetTicketRequest, GetTicketResponse>("TicketService/GetTicket", r => new GetTicketResponse
        {
            Ticket = new Ticket(Ticket(TicketState.FeedbackProvided, submittedBy: Me)) { TicketId = r.TicketId },
        });
        var page = RenderTicket();
        page.WaitForElement("textarea[data-testid=reply-text], [data-testid=reply-text] textarea").Change("Half a thought about tk_1");

        page.Render(p => p.Add(x => x.TicketId, "tk_2"));

        page.WaitForAssertion(() => Assert.Equal("tk_2", Host.CallsOf<GetTicketRequest>("TicketService/GetTicket").Last().TicketId));
        page.WaitForAssertion(() => Assert.Equal("", page.Find("textarea[data-testid=reply-text], [data-testid=reply-text] textarea").GetAttribute("value") ?? ""));
    }

    [Fact]
    public async Task A_closed_ticket_of_another_member_shows_no_rating_form()
    {
        await MemberAsync(WorkspaceRole.Standard);
        GetTicket(() => new GetTicketResponse { Ticket = Ticket(TicketState.Closed, submittedBy: Colleague) });
        var page = RenderTicket();

        page.WaitForElement("[data-testid=submitter-only]");
        Assert.Empty(page.FindAll("[data-testid=rating-form]"));
        Assert.Empty(page.FindAll("[data-testid=reply-form]"));
    }

    [Fact]
    public async Task A_ticket_of_another_workspace_is_not_found_here()
    {
        await MemberAsync(WorkspaceRole.Owner);
        Members(Me);
        GetTicket(() => new GetTicketResponse { Ticket = new Ticket(Ticket(TicketState.WaitingForAssignment, submittedBy: Me)) { WorkspaceId = "ws_other" } });
        var page = RenderTicket();

        Assert.Contains("not this workspace's", page.WaitForElement("[data-testid=not-found]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=thread]"));
    }

    /// <summary>Signs in as <see cref="Me"/>, a member of the workspace of <paramref name="role"/>, beside <see cref="Colleague"/>.</summary>
    private async Task MemberAsync(WorkspaceRole role)
    {
        await SignInAsync();
        Workspace(role);
        Members(Me, Colleague);
    }

    private static void ConfirmClosing(IRenderedComponent<MudBlazor.MudDialogProvider> dialogs) =>
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Close it", StringComparison.Ordinal)).Click());

    private static Ticket Ticket(TicketState state, string submittedBy) =>
        new() { TicketId = "tk_1", WorkspaceId = WorkspaceId, Title = "Agent refused", State = state, CreatedByUserId = submittedBy };

    private void Members(params string[] userIds) =>
        Host.On<ListMembersRequest, ListMembersResponse>("WorkspaceService/ListMembers", _ => new ListMembersResponse
        {
            Members = { userIds.Select(id => new Member { UserId = id, DisplayName = id == Colleague ? "Wang Fang" : "Li Wei" }) },
        });

    private void GetTicket(Func<GetTicketResponse> answer) =>
        Host.On<GetTicketRequest, GetTicketResponse>("TicketService/GetTicket", _ => answer());

    private IRenderedComponent<WorkspaceTicketPage> RenderTicket() =>
        Render<WorkspaceTicketPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId).Add(x => x.TicketId, "tk_1"));
}
