using System.CommandLine;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Tickets;

/// <summary>
/// tickets: support tickets of a billing account (its billing-center session) or of a workspace (a
/// member's console token), and support's side (the operator token): accept, reply, auto-close.
/// Calls with --token / GUANCE_TOKEN, else the billing-center session of 'billing login', else the
/// console login; 'create' and 'list' with --workspace call with the console token.
/// </summary>
public sealed class TicketCommands : ICommandGroup
{
    public int Order => 90;

    public IEnumerable<Command> Build() =>
    [
        new Command("tickets", "Support tickets: create, list, show, reply, close, cancel, restart, rate, download; accept, auto-close (operator)")
        {
            Create(), List(), Show(), Reply(), Close(), Cancel(), Restart(), Rate(), Accept(), Download(), AutoClose(),
        },
    ];

    private static Argument<string> TicketId() => new("ticket-id") { Description = "The ticket, tk_... (from 'tickets list')" };

    private static Option<FileInfo[]> Attach() => new("--attach")
    {
        Description = "A file to attach (repeat for more, at most 5 of 8 MiB each: png, gif, jpg, jpeg, bmp, doc, docx, pdf, xls, xlsx, txt, zip, rar)",
    };

    // HelpName: help would otherwise name the C# enum's members, not the names that the option takes.
    private static Option<TicketType> Type(string description) => new("--type")
    {
        HelpName = "type",
        Description = description + ": " + string.Join(", ", CliEnum.Names<TicketType>()),
        CustomParser = result => CliEnum.Parse<TicketType>(result.Tokens.Single().Value),
    };

    private static Command Create()
    {
        var account = Commands.Billing.BillingAccountCommands.Account();
        var workspace = new Option<string?>("--workspace", "-w") { Description = "The workspace the ticket is about, ws_... (a member's console token)" };
        var type = Type("What it is about");
        type.Required = true;
        var title = new Option<string>("--title") { Description = "The title, at most 100 characters", Required = true };
        var description = new Option<string>("--description", "-d") { Description = "The description (at most 10,000 characters)", Required = true };
        var attach = Attach();
        var requestId = RequestIds.Option();
        var command = new Command("create", "Submit a ticket for a billing account (default: your own, after 'billing login') or, with --workspace, for a workspace")
        {
            account, workspace, type, title, description, attach, requestId,
        };
        return command.Handle(async (context, cancellationToken) =>
        {
            var workspaceId = context.Get(workspace);
            var request = new CreateTicketRequest
            {
                WorkspaceId = workspaceId ?? "",
                BillingAccountId = workspaceId is null ? context.BillingAccountId(account) : "",
                Type = context.Get(type),
                Title = context.Get(title)!,
                Description = context.Get(description)!,
            };
            request.Attachments.Add(await ReadFilesAsync(context.Get(attach), cancellationToken));
            request.RequestId = RequestIds.Resolve(context, requestId, "ticket");
            var client = workspaceId is null ? context.BillingClient : context.Client;
            var response = await client.Tickets.CreateTicketAsync(request, cancellationToken: cancellationToken);
            RequestIds.NoteReplayed(context, response.Replayed, request.RequestId);
            context.Output.Result(response, () => ShowTicket(context, response.Ticket));
            return ExitCodes.Ok;
        });
    }

    private static Command List()
    {
        var account = new Option<string?>("--account", "-a") { Description = "Only this billing account's tickets (yours, or any for the operator)" };
        var workspace = new Option<string?>("--workspace", "-w") { Description = "Only this workspace's tickets (calls with the console token)" };
        var state = new Option<TicketState?>("--state")
        {
            HelpName = "state",
            Description = "Only tickets in this state: " + string.Join(", ", CliEnum.Names<TicketState>()),
            CustomParser = result => CliEnum.Parse<TicketState>(result.Tokens.Single().Value),
        };
        var type = new Option<TicketType?>("--type")
        {
            HelpName = "type",
            Description = "Only tickets of this type: " + string.Join(", ", CliEnum.Names<TicketType>()),
            CustomParser = result => CliEnum.Parse<TicketType>(result.Tokens.Single().Value),
        };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only tickets submitted at or after this instant, e.g. 2026-11-01T00:00:00+08:00" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only tickets submitted before this instant" };
        var keyword = new Option<string?>("--title") { Description = "Only tickets whose title contains this text (case-insensitive)" };
        var command = new Command("list", "The tickets you may see, newest first: a billing account's own, a member's workspaces', all for the operator")
        {
            account, workspace, state, type, from, to, keyword,
        };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var workspaceId = context.Get(workspace);
            var client = workspaceId is null ? context.BillingClient : context.Client;
            var response = await Pages.ReadAsync(context,
                (size, token) => client.Tickets.ListTicketsAsync(new ListTicketsRequest
                {
                    BillingAccountId = context.Get(account) ?? "",
                    WorkspaceId = workspaceId ?? "",
                    State = context.Get(state) ?? TicketState.Unspecified,
                    Type = context.Get(type) ?? TicketType.Unspecified,
                    CreateTimeFrom = context.Get(from) is { } f ? Timestamp.FromDateTimeOffset(f) : null,
                    CreateTimeTo = context.Get(to) is { } t ? Timestamp.FromDateTimeOffset(t) : null,
                    TitleKeyword = context.Get(keyword) ?? "",
                    PageSize = size,
                    PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.Tickets, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "tickets");
            context.Output.Result(response, () => context.Output.Table(
                ["TICKET", "SCOPE", "TYPE", "STATE", "TITLE", "MESSAGES", "CREATED"],
                response.Tickets.Select(t => new[]
                {
                    t.TicketId, Scope(t), Display.Enum(t.Type), Display.Enum(t.State), t.Title, Display.Quantity(t.MessageCount), Display.Time(t.CreateTime),
                }),
                "No tickets.", right: [5]));
            return ExitCodes.Ok;
        });
    }

    private static Command Show()
    {
        var id = TicketId();
        var command = new Command("show", "One ticket with its thread of messages and attachments") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                ShowTicket(context, response.Ticket);
                foreach (var message in response.Messages)
                {
                    context.Output.Line("");
                    var author = message.Author == TicketAuthor.Support ? "support" : message.AuthorUserId is { Length: > 0 } user ? user : "submitter";
                    context.Output.Line($"--- {Display.Time(message.CreateTime)} {author}");
                    context.Output.Line(message.Text);
                    foreach (var attachment in message.Attachments)
                    {
                        context.Output.Line($"    [{attachment.AttachmentId}] {attachment.FileName} ({Display.Quantity(attachment.SizeBytes)} bytes)");
                    }
                }
            });
            return ExitCodes.Ok;
        });
    }

    private static Command Reply()
    {
        var id = TicketId();
        var text = new Option<string>("--text", "-t") { Description = "The message (at most 10,000 characters)", Required = true };
        var attach = Attach();
        var requestId = RequestIds.Option();
        var command = new Command("reply", "Add a message (and files) to a ticket's thread; with the operator token, as support") { id, text, attach, requestId };
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new ReplyToTicketRequest { TicketId = context.Get(id)!, Text = context.Get(text)! };
            request.Attachments.Add(await ReadFilesAsync(context.Get(attach), cancellationToken));
            request.RequestId = RequestIds.Resolve(context, requestId, "reply");
            var response = await context.BillingClient.Tickets.ReplyToTicketAsync(request, cancellationToken: cancellationToken);
            RequestIds.NoteReplayed(context, response.Replayed, request.RequestId);
            context.Output.Result(response, () => ShowTicket(context, response.Ticket));
            return ExitCodes.Ok;
        });
    }

    private static Command Close() => Transition("close", "Close a ticket (it never reopens)",
        (client, id, token) => client.CloseTicketAsync(new CloseTicketRequest { TicketId = id }, cancellationToken: token), r => r.Ticket);

    private static Command Cancel() => Transition("cancel", "Cancel a ticket that waits for assignment",
        (client, id, token) => client.CancelTicketAsync(new CancelTicketRequest { TicketId = id }, cancellationToken: token), r => r.Ticket);

    private static Command Restart() => Transition("restart", "Restart a cancelled ticket",
        (client, id, token) => client.RestartTicketAsync(new RestartTicketRequest { TicketId = id }, cancellationToken: token), r => r.Ticket);

    private static Command Accept() => Transition("accept", "Accept a ticket that waits for assignment (operator)",
        (client, id, token) => client.AcceptTicketAsync(new AcceptTicketRequest { TicketId = id }, cancellationToken: token), r => r.Ticket);

    private static Command Rate()
    {
        var id = TicketId();
        var stars = new Option<int>("--stars") { Description = "1 to 5", Required = true };
        var comment = new Option<string?>("--comment") { Description = "A comment (at most 1,000 characters)" };
        var command = new Command("rate", "Rate a closed ticket, once") { id, stars, comment };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Tickets.RateTicketAsync(new RateTicketRequest
            {
                TicketId = context.Get(id)!, Stars = context.Get(stars), Comment = context.Get(comment) ?? "",
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowTicket(context, response.Ticket));
            return ExitCodes.Ok;
        });
    }

    private static Command Download()
    {
        var id = new Argument<string>("attachment-id") { Description = "The attachment, tka_... (from 'tickets show')" };
        var file = new Option<FileInfo>("--file", "-f") { Description = "Where to write it; replaced only when the whole file arrived", Required = true };
        var command = new Command("download", "Download an attachment to a file") { id, file };
        return command.Handle(async (context, cancellationToken) =>
        {
            var target = context.Get(file)!;
            if (target.Directory is { Exists: false } folder)
            {
                throw new CommandLineException($"--file: the folder {folder.FullName} does not exist.");
            }
            var partial = target.FullName + ".partial";
            long bytes = 0;
            try
            {
                await using (var output = File.Create(partial))
                {
                    using var call = context.BillingClient.Tickets.GetTicketAttachment(
                        new GetTicketAttachmentRequest { AttachmentId = context.Get(id)! }, cancellationToken: cancellationToken);
                    await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
                    {
                        chunk.Data.WriteTo(output);
                        bytes += chunk.Data.Length;
                    }
                }
                File.Move(partial, target.FullName, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }
            var result = new Struct();
            result.Fields["file"] = Value.ForString(target.FullName);
            result.Fields["bytes"] = Value.ForNumber(bytes);
            context.Output.Result(result, () => context.Output.Line($"Wrote {bytes:N0} bytes to {target.FullName}"));
            return ExitCodes.Ok;
        });
    }

    private static Command AutoClose()
    {
        var command = new Command("auto-close", "Close now every ticket whose feedback had no answer for 7 days; idempotent (operator)");
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Tickets.RunTicketAutoCloseAsync(new RunTicketAutoCloseRequest(), cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line($"Closed {response.Closed:N0} tickets."));
            return ExitCodes.Ok;
        });
    }

    private static Command Transition<TResponse>(string name, string description,
        Func<TicketService.TicketServiceClient, string, CancellationToken, AsyncUnaryCall<TResponse>> call, Func<TResponse, Ticket> ticket)
        where TResponse : IMessage
    {
        var id = TicketId();
        var command = new Command(name, description) { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await call(context.BillingClient.Tickets, context.Get(id)!, cancellationToken);
            context.Output.Result(response, () => ShowTicket(context, ticket(response)));
            return ExitCodes.Ok;
        });
    }

    private static async Task<IEnumerable<TicketAttachmentUpload>> ReadFilesAsync(FileInfo[]? files, CancellationToken cancellationToken)
    {
        var uploads = new List<TicketAttachmentUpload>();
        foreach (var file in files ?? [])
        {
            if (!file.Exists)
            {
                throw new CommandLineException($"--attach: {file.FullName} does not exist.");
            }
            uploads.Add(new TicketAttachmentUpload { FileName = file.Name, Content = ByteString.CopyFrom(await File.ReadAllBytesAsync(file.FullName, cancellationToken)) });
        }
        return uploads;
    }

    private static string Scope(Ticket ticket) => ticket.WorkspaceId is { Length: > 0 } workspace ? workspace : ticket.BillingAccountId;

    private static void ShowTicket(CliContext context, Ticket ticket) => context.Output.Fields(
        ("Ticket", ticket.TicketId),
        ("Scope", Scope(ticket)),
        ("Type", Display.Enum(ticket.Type)),
        ("Title", ticket.Title),
        ("State", Display.Enum(ticket.State) + (ticket.ClosedAutomatically ? " (automatically)" : "")),
        ("Messages", Display.Quantity(ticket.MessageCount)),
        ("Created", Display.Time(ticket.CreateTime)),
        ("Rating", ticket.Rating is { } rating ? $"{rating.Stars}/5 {rating.Comment}".TrimEnd() : ""));
}
