using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Api = Guance.Billing.IntegrationTests.Infrastructure.Api;

namespace Guance.Billing.IntegrationTests.Tickets;

/// <summary>
/// The requests of TicketService: bad input answers the exact field violations and changes nothing;
/// create and reply are idempotent by request_id; ListTickets filters by state, type, creation range
/// and title keyword, and pages with opaque tokens tied to its filters.
/// </summary>
public sealed class TicketRequestTests
{
    [Fact]
    public async Task Bad_input_names_exactly_the_bad_fields_and_creates_nothing()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var workspace = await host.CreateWorkspaceAsync();
        var tickets = account.Api.Tickets;

        await RpcAssert.InvalidFields(() => tickets.CreateTicketAsync(new CreateTicketRequest()),
            "billing_account_id", "type", "title", "description", "request_id");
        await RpcAssert.InvalidFields(() => tickets.CreateTicketAsync(new CreateTicketRequest
        {
            BillingAccountId = "nope", WorkspaceId = workspace.Id, Type = (TicketType)42, Title = new string('t', 101),
            Description = "   ", RequestId = "has spaces",
        }), "billing_account_id", "workspace_id", "type", "title", "description", "request_id");
        // Text over 10,000 characters is refused as the request is read, before the other fields are looked at.
        var tooLong = TicketKit.AccountTicket(account.Id);
        tooLong.Description = new string('d', 10_001);
        await RpcAssert.InvalidFields(() => tickets.CreateTicketAsync(tooLong), "description");
        await RpcAssert.InvalidFields(() => tickets.CreateTicketAsync(new CreateTicketRequest
        {
            BillingAccountId = account.Id, Type = TicketType.Other, Title = "tab\there", Description = "bell\a", RequestId = "r1",
        }), "title", "description");
        // Exactly 100 characters of title and 10,000 of multi-line description are fine.
        var longest = TicketKit.AccountTicket(account.Id, new string('t', 100));
        longest.Description = string.Concat(Enumerable.Repeat("line\r\n\txy ", 1_000));
        Assert.Equal(10_000, longest.Description.Length);
        await account.Api.CreateAsync(longest);
        // A character is a code point: 100 emoji (200 UTF-16 units) are a title of 100 characters, 101 are too many.
        var emoji = TicketKit.AccountTicket(account.Id, string.Concat(Enumerable.Repeat("😀", 100)));
        emoji.Description = string.Concat(Enumerable.Repeat("😀", 10_000));
        Assert.Equal("😀😀", (await account.Api.CreateAsync(emoji)).Title[..4]);
        var overEmoji = TicketKit.AccountTicket(account.Id, string.Concat(Enumerable.Repeat("😀", 101)));
        await RpcAssert.InvalidFields(() => tickets.CreateTicketAsync(overEmoji), "title");

        var user = workspace.Owner.Api.Tickets;
        await RpcAssert.InvalidFields(() => user.CreateTicketAsync(new CreateTicketRequest
        {
            BillingAccountId = account.Id, Type = TicketType.Invoice, Title = "x", Description = "y", RequestId = "r2",
        }), "billing_account_id", "workspace_id");

        var ticket = await account.Api.CreateAsync(TicketKit.AccountTicket(account.Id));
        await RpcAssert.InvalidFields(() => tickets.ReplyToTicketAsync(new ReplyToTicketRequest { TicketId = "tk_bad" }), "ticket_id", "text", "request_id");
        await RpcAssert.InvalidFields(() => tickets.ReplyToTicketAsync(new ReplyToTicketRequest { TicketId = ticket.TicketId, Text = new string('x', 10_001), RequestId = "r3" }),
            "text");
        await RpcAssert.InvalidFields(() => tickets.GetTicketAsync(new GetTicketRequest()), "ticket_id");
        await RpcAssert.InvalidFields(() => tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = "ba_x" }), "ticket_id");
        await RpcAssert.InvalidFields(() => host.Operator.Tickets.AcceptTicketAsync(new AcceptTicketRequest()), "ticket_id");
        await tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = ticket.TicketId });
        await RpcAssert.InvalidFields(() => tickets.RateTicketAsync(new RateTicketRequest { TicketId = ticket.TicketId, Stars = 6, Comment = new string('c', 1_001) }),
            "stars", "comment");
        await RpcAssert.InvalidFields(() => tickets.RateTicketAsync(new RateTicketRequest { TicketId = ticket.TicketId, Stars = 0 }), "stars");
        await RpcAssert.InvalidFields(() => tickets.ListTicketsAsync(new ListTicketsRequest
        {
            WorkspaceId = workspace.Id, State = (TicketState)9, Type = (TicketType)99, PageSize = 1001, PageToken = "garbage", TitleKeyword = new string('k', 101),
            CreateTimeFrom = Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow()), CreateTimeTo = Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow()),
        }), "workspace_id", "state", "type", "page_size", "page_token", "title_keyword", "create_time_to");
        var badDownload = await RpcAssert.Fails(StatusCode.InvalidArgument, () => account.Api.DownloadAsync("x"), "INVALID_ARGUMENT");
        Assert.Equal("attachment_id", Assert.Single(badDownload.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations).Field);

        // Nothing was rated, and only the three good tickets exist.
        Assert.Null((await account.Api.GetAsync(ticket.TicketId)).Rating);
        Assert.Equal(3, (await tickets.ListTicketsAsync(new ListTicketsRequest())).Tickets.Count);
    }

    [Fact]
    public async Task Create_and_reply_are_idempotent_by_request_id()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var request = TicketKit.AccountTicket(account.Id, attachments: TicketKit.File("a.pdf", TicketKit.Pdf));

        var first = await account.Api.Tickets.CreateTicketAsync(request);
        var again = await account.Api.Tickets.CreateTicketAsync(request);
        Assert.Equal((false, true, first.Ticket.TicketId), (first.Replayed, again.Replayed, again.Ticket.TicketId));
        var changed = request.Clone();
        changed.Title = "Another title";
        await RpcAssert.Precondition(() => account.Api.Tickets.CreateTicketAsync(changed), "REQUEST_ID_REUSED");
        Assert.Single((await account.Api.Tickets.ListTicketsAsync(new ListTicketsRequest())).Tickets);

        await host.AcceptAsync(first.Ticket.TicketId);
        var reply = TicketKit.Reply(first.Ticket.TicketId, "Answer", TicketKit.File("b.txt", TicketKit.Text));
        var replies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => host.Operator.Tickets.ReplyToTicketAsync(reply).ResponseAsync));
        Assert.Single(replies, r => !r.Replayed);
        Assert.Single(replies.Select(r => r.Message.MessageId).Distinct());
        Assert.All(replies, r => Assert.Equal("b.txt", Assert.Single(r.Message.Attachments).FileName));
        var otherText = reply.Clone();
        otherText.Text = "Different";
        await RpcAssert.Precondition(() => host.Operator.Tickets.ReplyToTicketAsync(otherText), "REQUEST_ID_REUSED");

        var thread = await account.Api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = first.Ticket.TicketId });
        Assert.Equal(2, thread.Messages.Count);
        Assert.Equal(2, thread.Ticket.MessageCount);
        Assert.Single(await host.TicketNoticesAsync(NotificationKind.TicketReplied));
    }

    [Fact]
    public async Task Lists_filter_by_state_type_creation_range_and_title_keyword_and_page_with_tokens()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var other = await host.RegisterBillingAccountAsync("other");
        var workspace = await host.CreateWorkspaceAsync();
        var second = await host.CreateWorkspaceAsync();
        var start = host.Clock.GetUtcNow();
        var created = new List<Ticket>();
        for (var i = 0; i < 7; i++)
        {
            host.Clock.Advance(TimeSpan.FromHours(1));
            created.Add(await account.Api.CreateAsync(TicketKit.AccountTicket(account.Id, i % 2 == 0 ? $"Invoice {i} missing" : $"Recharge {i} failed",
                i % 2 == 0 ? TicketType.Invoice : TicketType.RechargeAndPayment)));
        }
        await other.Api.CreateAsync(TicketKit.AccountTicket(other.Id, "Invoice of the other account", TicketType.Invoice));
        var inFirst = await workspace.Standard.Api.CreateAsync(TicketKit.WorkspaceTicket(workspace.Id, "INVOICE for the workspace"));
        var inSecond = await second.Owner.Api.CreateAsync(TicketKit.WorkspaceTicket(second.Id));
        await second.Owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = second.Id, Email = workspace.Standard.Email, Role = WorkspaceRole.ReadOnly });
        await account.Api.Tickets.CancelTicketAsync(new CancelTicketRequest { TicketId = created[2].TicketId });

        async Task<List<string>> ListAsync(Api api, ListTicketsRequest request)
        {
            var ids = new List<string>();
            request.PageSize = 2;
            do
            {
                var page = await api.Tickets.ListTicketsAsync(request);
                Assert.True(page.Tickets.Count <= 2);
                ids.AddRange(page.Tickets.Select(t => t.TicketId));
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken != "");
            return ids;
        }
        List<string> Ids(params int[] indexes) => indexes.Select(i => created[i].TicketId).ToList();

        Assert.Equal(Ids(6, 5, 4, 3, 2, 1, 0), await ListAsync(account.Api, new ListTicketsRequest()));
        Assert.Equal(Ids(6, 4, 0), await ListAsync(account.Api, new ListTicketsRequest { Type = TicketType.Invoice, State = TicketState.WaitingForAssignment }));
        Assert.Equal(Ids(2), await ListAsync(account.Api, new ListTicketsRequest { State = TicketState.Cancelled }));
        Assert.Equal(Ids(5, 3, 1), await ListAsync(account.Api, new ListTicketsRequest { TitleKeyword = "rECHARGE" }));
        Assert.Equal(Ids(4, 3, 2), await ListAsync(account.Api, new ListTicketsRequest
        {
            CreateTimeFrom = Timestamp.FromDateTimeOffset(start + TimeSpan.FromHours(3)), CreateTimeTo = Timestamp.FromDateTimeOffset(start + TimeSpan.FromHours(6)),
        }));
        // A console user: the tickets of its workspaces, or of one.
        Assert.Equal([inSecond.TicketId, inFirst.TicketId], await ListAsync(workspace.Standard.Api, new ListTicketsRequest()));
        Assert.Equal([inFirst.TicketId], await ListAsync(workspace.Standard.Api, new ListTicketsRequest { WorkspaceId = workspace.Id, TitleKeyword = "invoice" }));
        // Support: every scope, or one account's.
        Assert.Equal(10, (await ListAsync(host.Operator, new ListTicketsRequest())).Count);
        // Invoice 0, 2, 4, 6, the other account's and the workspace's (case-insensitive).
        Assert.Equal(6, (await ListAsync(host.Operator, new ListTicketsRequest { TitleKeyword = "invoice" })).Count);
        Assert.Equal(7, (await ListAsync(host.Operator, new ListTicketsRequest { BillingAccountId = account.Id })).Count);

        // A token belongs to its filters.
        var firstPage = await account.Api.Tickets.ListTicketsAsync(new ListTicketsRequest { PageSize = 2 });
        await RpcAssert.InvalidFields(() => account.Api.Tickets.ListTicketsAsync(new ListTicketsRequest { PageSize = 2, PageToken = firstPage.NextPageToken, Type = TicketType.Invoice }),
            "page_token");
    }
}
