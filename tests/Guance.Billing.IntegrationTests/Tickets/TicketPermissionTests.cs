using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Tickets;

/// <summary>
/// Who may call what on a ticket (docs/domain.md §8): the billing account sees its own tickets, every
/// member of a workspace (any role) the workspace's, support (the operator) all; anybody else gets
/// NOT_FOUND. Support accepts and runs the auto-close (OPERATOR_REQUIRED for the rest); the
/// submitter's side creates, closes, cancels, restarts and rates (TICKET_SUBMITTER_REQUIRED for
/// support, and for a workspace's other members); collector tokens are refused everywhere; no token is UNAUTHENTICATED.
/// </summary>
public sealed class TicketPermissionTests
{
    private enum Outcome { Allowed, NotFound, Operator, Submitter, Caller, NoToken }

    [Fact]
    public async Task The_permission_table_of_every_ticket_rpc()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var otherAccount = await host.RegisterBillingAccountAsync("other");
        var workspace = await host.CreateWorkspaceAsync();
        var (_, collector) = await host.ConsoleAndCollectorAsync();

        // One fresh ticket per call, so that every allowed call can succeed; the scope decides who sees it.
        var callers = new List<(string Name, Api Api, bool SeesAccount, bool SeesWorkspace)>
        {
            ("account", account.Api, true, false),
            ("other account", otherAccount.Api, false, false),
            ("operator", host.Operator, true, true),
            ("collector", collector, false, false),
            ("no token", host.Api(), false, false),
        };
        callers.AddRange(workspace.Members.Select(m => (m.Name, m.User.Api, false, true)));
        callers.Add(("outsider", workspace.Outsider.Api, false, false));

        var rpcs = new (string Name, string Kind, Func<Api, string, Task> Call, Func<string, Task> Prepare)[]
        {
            ("GetTicket", "view", (api, id) => api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = id }).ResponseAsync, _ => Task.CompletedTask),
            ("ReplyToTicket", "view", (api, id) => api.Tickets.ReplyToTicketAsync(TicketKit.Reply(id)).ResponseAsync, id => host.AcceptAsync(id)),
            ("GetTicketAttachment", "view", async (api, id) =>
            {
                var attachment = (await host.Operator.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = id })).Messages[0].Attachments[0];
                await api.DownloadAsync(attachment.AttachmentId);
            }, _ => Task.CompletedTask),
            ("CloseTicket", "submit", (api, id) => api.Tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = id }).ResponseAsync, _ => Task.CompletedTask),
            ("CancelTicket", "submit", (api, id) => api.Tickets.CancelTicketAsync(new CancelTicketRequest { TicketId = id }).ResponseAsync, _ => Task.CompletedTask),
            ("RestartTicket", "submit", (api, id) => api.Tickets.RestartTicketAsync(new RestartTicketRequest { TicketId = id }).ResponseAsync,
                id => host.Operator.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = id }).ResponseAsync),
            ("RateTicket", "submit", (api, id) => api.Tickets.RateTicketAsync(new RateTicketRequest { TicketId = id, Stars = 5 }).ResponseAsync,
                _ => Task.CompletedTask),
            ("AcceptTicket", "support", (api, id) => api.Tickets.AcceptTicketAsync(new AcceptTicketRequest { TicketId = id }).ResponseAsync, _ => Task.CompletedTask),
        };

        foreach (var scope in new[] { "account", "workspace" })
        {
            foreach (var rpc in rpcs)
            {
                foreach (var caller in callers)
                {
                    var request = scope == "account"
                        ? TicketKit.AccountTicket(account.Id, attachments: TicketKit.File("a.txt", TicketKit.Text))
                        : TicketKit.WorkspaceTicket(workspace.Id);
                    if (scope == "workspace")
                    {
                        request.Attachments.Add(TicketKit.File("a.txt", TicketKit.Text));
                    }
                    var ticket = await (scope == "account" ? account.Api : workspace.Owner.Api).CreateAsync(request);
                    var submitterApi = scope == "account" ? account.Api : workspace.Owner.Api;
                    if (rpc.Name == "RestartTicket")
                    {
                        await submitterApi.Tickets.CancelTicketAsync(new CancelTicketRequest { TicketId = ticket.TicketId });
                    }
                    if (rpc.Name == "RateTicket")
                    {
                        await submitterApi.Tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = ticket.TicketId });
                    }
                    await rpc.Prepare(ticket.TicketId);

                    var sees = scope == "account" ? caller.SeesAccount : caller.SeesWorkspace;
                    var expected = caller.Name switch
                    {
                        "no token" => Outcome.NoToken,
                        "collector" => rpc.Kind == "support" ? Outcome.Operator : Outcome.Caller,
                        "operator" => rpc.Kind == "submit" ? Outcome.Submitter : Outcome.Allowed,
                        _ when rpc.Kind == "support" => Outcome.Operator,
                        // The Owner submitted the workspace's tickets: the other members see them and reply, no more.
                        _ when rpc.Kind == "submit" && scope == "workspace" && sees && caller.Name != "Owner" => Outcome.Submitter,
                        _ => sees ? Outcome.Allowed : Outcome.NotFound,
                    };
                    var because = $"{rpc.Name} by {caller.Name} on a {scope} ticket";
                    Func<Task> call = () => rpc.Call(caller.Api, ticket.TicketId);
                    switch (expected)
                    {
                        case Outcome.Allowed:
                            await call();
                            break;
                        case Outcome.NotFound:
                            var notFound = await Assert.ThrowsAsync<RpcException>(call);
                            Assert.True(notFound.StatusCode == StatusCode.NotFound, because);
                            break;
                        default:
                            var (code, reason) = expected switch
                            {
                                Outcome.Operator => (StatusCode.PermissionDenied, "OPERATOR_REQUIRED"),
                                Outcome.Submitter => (StatusCode.PermissionDenied, "TICKET_SUBMITTER_REQUIRED"),
                                Outcome.Caller => (StatusCode.PermissionDenied, "TICKET_CALLER_REQUIRED"),
                                _ => (StatusCode.Unauthenticated, "TOKEN_MISSING"),
                            };
                            var error = await Assert.ThrowsAsync<RpcException>(call);
                            Assert.True(code == error.StatusCode, $"{because}: {error.Status}");
                            Assert.Equal((because, reason), (because, error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason));
                            break;
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Creating_is_for_the_account_itself_and_for_members_of_the_workspace()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var other = await host.RegisterBillingAccountAsync("other");
        var workspace = await host.CreateWorkspaceAsync();
        var (_, collector) = await host.ConsoleAndCollectorAsync();

        foreach (var (_, member) in workspace.Members)
        {
            await member.Api.CreateAsync(TicketKit.WorkspaceTicket(workspace.Id));
        }
        await account.Api.CreateAsync(TicketKit.AccountTicket(account.Id));
        await RpcAssert.Fails(StatusCode.NotFound, () => other.Api.Tickets.CreateTicketAsync(TicketKit.AccountTicket(account.Id)), "BILLING_ACCOUNT_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.NotFound, () => workspace.Outsider.Api.Tickets.CreateTicketAsync(TicketKit.WorkspaceTicket(workspace.Id)), "WORKSPACE_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => host.Operator.Tickets.CreateTicketAsync(TicketKit.AccountTicket(account.Id)), "TICKET_SUBMITTER_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => collector.Tickets.CreateTicketAsync(TicketKit.WorkspaceTicket(workspace.Id)), "TICKET_CALLER_REQUIRED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Tickets.CreateTicketAsync(TicketKit.AccountTicket(account.Id)), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.NotFound, () => account.Api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = TicketKit.UnknownTicketId }), "TICKET_NOT_FOUND");

        // Lists: each caller sees its own scope; support sees all.
        Assert.Equal(4, (await workspace.ReadOnly.Api.Tickets.ListTicketsAsync(new ListTicketsRequest())).Tickets.Count);
        Assert.Single((await account.Api.Tickets.ListTicketsAsync(new ListTicketsRequest())).Tickets);
        Assert.Empty((await other.Api.Tickets.ListTicketsAsync(new ListTicketsRequest())).Tickets);
        Assert.Empty((await workspace.Outsider.Api.Tickets.ListTicketsAsync(new ListTicketsRequest())).Tickets);
        Assert.Equal(5, (await host.Operator.Tickets.ListTicketsAsync(new ListTicketsRequest())).Tickets.Count);
        await RpcAssert.Fails(StatusCode.NotFound, () => workspace.Outsider.Api.Tickets.ListTicketsAsync(new ListTicketsRequest { WorkspaceId = workspace.Id }), "WORKSPACE_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.NotFound, () => other.Api.Tickets.ListTicketsAsync(new ListTicketsRequest { BillingAccountId = account.Id }), "BILLING_ACCOUNT_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => collector.Tickets.ListTicketsAsync(new ListTicketsRequest()), "TICKET_CALLER_REQUIRED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Tickets.ListTicketsAsync(new ListTicketsRequest()), "TOKEN_MISSING");
    }
}
