using Bunit;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Components;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The billing center's tickets (docs/domain.md §8): the list, a submission with attachments, the thread, reply, rating, downloads.</summary>
public sealed class TicketsPageTests : ConsoleContext
{
    public TicketsPageTests()
    {
        Host.On<ListTicketsRequest, ListTicketsResponse>("TicketService/ListTickets", _ => new ListTicketsResponse
        {
            Tickets = { new Ticket { TicketId = "tk_1", Title = "Invoice missing", Type = TicketType.Invoice, State = TicketState.FeedbackProvided, CreateTime = Timestamp.FromDateTime(new DateTime(2026, 11, 2, 1, 0, 0, DateTimeKind.Utc)) } },
        });
    }

    [Fact]
    public async Task The_list_shows_the_accounts_tickets_with_their_states()
    {
        await SignInBillingCenterAsync();
        var page = Render<TicketsPage>();

        Assert.Equal("Feedback provided", page.WaitForElement("[data-testid=ticket-state]").TextContent);
        Assert.Equal("2026-11-02 09:00 UTC+8", page.Find("[data-testid=tickets]").QuerySelectorAll("td")[3].TextContent);
        Assert.Equal(BillingAccountId, Host.CallsOf<ListTicketsRequest>("TicketService/ListTickets").Single().BillingAccountId);
    }

    [Fact]
    public async Task More_tickets_are_read_page_by_page_with_the_search_s_filters()
    {
        await SignInBillingCenterAsync();
        Host.On<ListTicketsRequest, ListTicketsResponse>("TicketService/ListTickets", r => r.PageToken == ""
            ? new ListTicketsResponse { Tickets = { new Ticket { TicketId = "tk_2", Title = "Second", State = TicketState.WaitingForAssignment } }, NextPageToken = "p2" }
            : new ListTicketsResponse { Tickets = { new Ticket { TicketId = "tk_1", Title = "First", State = TicketState.Closed } } });
        var page = Render<TicketsPage>();
        page.WaitForElement("[data-testid=ticket-link]");
        page.Find("[data-testid=filter-keyword] input, input[data-testid=filter-keyword]").Change("  ir  ");
        page.Find("[data-testid=search-tickets]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, Host.CallsOf<ListTicketsRequest>("TicketService/ListTickets").Count()));

        page.WaitForElement("[data-testid=more-tickets]").Click();

        page.WaitForAssertion(() => Assert.Equal(["Second", "First"], page.FindAll("[data-testid=ticket-link]").Select(a => a.TextContent)));
        Assert.Empty(page.FindAll("[data-testid=more-tickets]"));
        var calls = Host.CallsOf<ListTicketsRequest>("TicketService/ListTickets").ToList();
        Assert.Equal([("", ""), ("", "ir"), ("p2", "ir")], calls.Select(r => (r.PageToken, r.TitleKeyword)));
    }

    [Fact]
    public async Task The_creation_days_are_sent_as_china_time_bounds_the_last_day_included()
    {
        await SignInBillingCenterAsync();
        var page = Render<TicketsPage>();
        page.WaitForElement("[data-testid=ticket-link]");

        page.Find("[data-testid=filter-from] input, input[data-testid=filter-from]").Change("2026-11-02");
        page.Find("[data-testid=filter-to] input, input[data-testid=filter-to]").Change("2026-11-03");
        page.Find("[data-testid=search-tickets]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, Host.CallsOf<ListTicketsRequest>("TicketService/ListTickets").Count()));
        var search = Host.CallsOf<ListTicketsRequest>("TicketService/ListTickets").Last();
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8)), search.CreateTimeFrom.ToDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.FromHours(8)), search.CreateTimeTo.ToDateTimeOffset());
        Assert.Contains("Submitted from (UTC+8)", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_range_that_ends_before_it_starts_is_explained_and_not_searched()
    {
        await SignInBillingCenterAsync();
        var page = Render<TicketsPage>();
        page.WaitForElement("[data-testid=ticket-link]");

        page.Find("[data-testid=filter-from] input, input[data-testid=filter-from]").Change("2026-11-03");
        page.Find("[data-testid=filter-to] input, input[data-testid=filter-to]").Change("2026-11-02");
        page.Find("[data-testid=search-tickets]").Click();

        Assert.Contains("must not be before its start", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
        Assert.Single(Host.CallsOf<ListTicketsRequest>("TicketService/ListTickets"));
    }

    [Fact]
    public async Task The_titles_counter_counts_an_emoji_once_as_the_host_does()
    {
        await SignInBillingCenterAsync();
        var page = Render<TicketsPage>();
        var title = page.WaitForElement("[data-testid=ticket-title] input, input[data-testid=ticket-title]");

        // 99 letters and a rocket: 101 UTF-16 units, 100 characters.
        title.Input(new string('a', 99) + "\U0001F680");
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-input-helper-text"), h => h.TextContent.Trim() == "100 / 100"));
        Assert.Empty(page.FindAll(".mud-input-helper-text.mud-input-error"));

        page.Find("[data-testid=ticket-title] input, input[data-testid=ticket-title]").Input(new string('a', 100) + "\U0001F680");
        page.WaitForAssertion(() => Assert.Contains("must be at most 100 characters", page.Find(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_of_another_type_is_refused_before_anything_is_uploaded()
    {
        await SignInBillingCenterAsync();
        var page = Render<TicketsPage>();

        page.WaitForComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("MZ", "setup.exe"));
        page.Find("[data-testid=ticket-title] input, input[data-testid=ticket-title]").Input("Setup");
        page.Find("[data-testid=submit-ticket]").Closest("form")!.Submit();

        Assert.Contains("setup.exe: must end in one of .png", page.WaitForElement("[data-testid=attachment-error]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(Host.Calls, c => c.Method == "TicketService/CreateTicket");
    }

    [Fact]
    public async Task A_ticket_is_submitted_with_its_files_and_the_thread_opens()
    {
        await SignInBillingCenterAsync();
        Host.On<CreateTicketRequest, CreateTicketResponse>("TicketService/CreateTicket", r => new CreateTicketResponse { Ticket = new Ticket { TicketId = "tk_2", Title = r.Title } });
        var page = Render<TicketsPage>();

        page.WaitForComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("October's bill", "bill.txt"));
        page.WaitForAssertion(() => Assert.Contains("bill.txt", page.Find("[data-testid=attached-file]").TextContent, StringComparison.Ordinal));
        page.Find("[data-testid=ticket-title] input, input[data-testid=ticket-title]").Input("Invoice missing");
        page.Find("[data-testid=ticket-description] textarea, textarea[data-testid=ticket-description]").Input("For October.");
        page.Find("[data-testid=submit-ticket]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.EndsWith("billing-center/tickets/tk_2", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        var sent = Host.CallsOf<CreateTicketRequest>("TicketService/CreateTicket").Single();
        Assert.Equal((BillingAccountId, TicketType.BillingQuestion, "Invoice missing", "For October."), (sent.BillingAccountId, sent.Type, sent.Title, sent.Description));
        Assert.Equal(("bill.txt", "October's bill"), (sent.Attachments.Single().FileName, sent.Attachments.Single().Content.ToStringUtf8()));
        Assert.NotEmpty(sent.RequestId);
    }

    [Fact]
    public async Task The_hosts_violations_are_shown_next_to_the_title_and_under_the_file_they_name()
    {
        await SignInBillingCenterAsync();
        Host.On<CreateTicketRequest, CreateTicketResponse>("TicketService/CreateTicket", _ =>
            throw FakeHost.BadRequest(("title", "must be at most 100 characters"), ("attachments[0].content", "is not a PNG image")));
        var page = Render<TicketsPage>();

        page.WaitForComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("not an image", "shot.png"));
        page.WaitForElement("[data-testid=attached-file]");
        page.Find("[data-testid=submit-ticket]").Closest("form")!.Submit();

        Assert.Contains("must be at most 100 characters", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
        Assert.Equal("shot.png: is not a PNG image", page.Find("[data-testid=attachment-error]").TextContent);
        Assert.DoesNotContain("is not a PNG image", page.Find("[data-testid=error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_thread_shows_supports_reply_and_a_reply_is_sent_and_shown()
    {
        await SignInBillingCenterAsync();
        var messages = new List<TicketMessage>
        {
            new() { MessageId = "tkm_1", Author = TicketAuthor.Submitter, Text = "For October." },
            new() { MessageId = "tkm_2", Author = TicketAuthor.Support, Text = "Issued today." },
        };
        Host.On<GetTicketRequest, GetTicketResponse>("TicketService/GetTicket", _ => new GetTicketResponse
        {
            Ticket = new Ticket { TicketId = "tk_1", Title = "Invoice missing", State = TicketState.FeedbackProvided }, Messages = { messages },
        });
        Host.On<ReplyToTicketRequest, ReplyToTicketResponse>("TicketService/ReplyToTicket", r =>
        {
            messages.Add(new TicketMessage { MessageId = "tkm_3", Author = TicketAuthor.Submitter, Text = r.Text });
            return new ReplyToTicketResponse();
        });
        var page = Render<TicketPage>(p => p.Add(x => x.TicketId, "tk_1"));

        Assert.Contains("Issued today.", page.WaitForElement("[data-testid=support-message]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=reply-text] textarea, textarea[data-testid=reply-text]").Change("Thanks, received.");
        page.Find("[data-testid=reply]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=submitter-message]").Count));
        var sent = Host.CallsOf<ReplyToTicketRequest>("TicketService/ReplyToTicket").Single();
        Assert.Equal(("tk_1", "Thanks, received."), (sent.TicketId, sent.Text));
    }

    [Fact]
    public async Task A_closed_ticket_takes_no_reply_and_is_rated_once()
    {
        await SignInBillingCenterAsync();
        var ticket = new Ticket { TicketId = "tk_1", Title = "Invoice missing", State = TicketState.Closed };
        Host.On<GetTicketRequest, GetTicketResponse>("TicketService/GetTicket", _ => new GetTicketResponse { Ticket = ticket });
        Host.On<RateTicketRequest, RateTicketResponse>("TicketService/RateTicket", r =>
        {
            ticket = new Ticket(ticket) { Rating = new TicketRating { Stars = r.Stars, Comment = r.Comment } };
            return new RateTicketResponse { Ticket = ticket };
        });
        var page = Render<TicketPage>(p => p.Add(x => x.TicketId, "tk_1"));

        page.WaitForElement("[data-testid=rate]");
        Assert.Empty(page.FindAll("[data-testid=reply]"));
        // No stars are given until the person picks them.
        Assert.True(page.Find("[data-testid=rate]").HasAttribute("disabled"));
        Assert.NotNull(page.Find("[data-testid=stars-hint]"));
        page.FindAll(".mud-rating-item")[4].Click();
        page.Find("[data-testid=rating-comment] input, input[data-testid=rating-comment]").Change("Quick.");
        Assert.False(page.Find("[data-testid=rate]").HasAttribute("disabled"));
        page.Find("[data-testid=rate]").Closest("form")!.Submit();

        Assert.Contains("5 of 5", page.WaitForElement("[data-testid=rating]").TextContent, StringComparison.Ordinal);
        Assert.Equal((5, "Quick."), Host.CallsOf<RateTicketRequest>("TicketService/RateTicket").Select(r => (r.Stars, r.Comment)).Single());
    }

    [Fact]
    public async Task An_attachment_is_downloaded_through_the_api()
    {
        await SignInBillingCenterAsync();
        Host.On<GetTicketRequest, GetTicketResponse>("TicketService/GetTicket", _ => new GetTicketResponse
        {
            Ticket = new Ticket { TicketId = "tk_1", State = TicketState.WaitingForAssignment },
            Messages = { new TicketMessage { Author = TicketAuthor.Submitter, Text = "See the file.", Attachments = { new TicketAttachment { AttachmentId = "tka_1", FileName = "bill.txt", SizeBytes = 4 } } } },
        });
        Host.OnStream<GetTicketAttachmentRequest, GetTicketAttachmentResponse>("TicketService/GetTicketAttachment", _ =>
            [new GetTicketAttachmentResponse { Data = ByteString.CopyFromUtf8("ab"), FileName = "bill.txt", SizeBytes = 4 }, new GetTicketAttachmentResponse { Data = ByteString.CopyFromUtf8("cd") }]);
        var downloads = Downloads();
        var page = Render<TicketPage>(p => p.Add(x => x.TicketId, "tk_1"));

        page.WaitForElement("[data-testid=download-attachment]").Click();

        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        Assert.Equal(("bill.txt", "application/octet-stream", "abcd"), SavedFile(downloads));
        Assert.Equal("tka_1", Host.CallsOf<GetTicketAttachmentRequest>("TicketService/GetTicketAttachment").Single().AttachmentId);
    }

    [Fact]
    public async Task Another_accounts_ticket_is_not_found()
    {
        await SignInBillingCenterAsync();
        Host.On<GetTicketRequest, GetTicketResponse>("TicketService/GetTicket", _ => throw FakeHost.Failure(Grpc.Core.StatusCode.NotFound, "NOT_FOUND", "Ticket tk_9 was not found."));
        var page = Render<TicketPage>(p => p.Add(x => x.TicketId, "tk_9"));

        page.WaitForElement("[data-testid=not-found]");
    }
}
