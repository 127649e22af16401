using System.Security.Cryptography;
using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Tickets;

/// <summary>What CreateTicket asks for, as read from the request.</summary>
public sealed record NewTicket(
    string? BillingAccountId, string? WorkspaceId, TicketType Type, string? Title, string? Description,
    IReadOnlyList<AttachmentUpload> Attachments, string? RequestId);

/// <summary>A ticket's new message and the ticket after it.</summary>
public sealed record TicketReply(Ticket Ticket, TicketMessage Message, bool Replayed);

/// <summary>
/// Creating tickets and adding messages (docs/domain.md §8). Both are idempotent by request id: the
/// message, its attachments and the state change are one transaction, and a retry with the same id
/// and content returns what the first wrote (REQUEST_ID_REUSED with other content).
/// </summary>
public sealed class TicketManager(
    BillingDbContext db, TicketAccess access, WorkspaceAccess workspaces, BillingAccountAccess accounts, TicketNotices notices, TimeProvider clock)
{
    public async Task<(Ticket Ticket, bool Replayed)> CreateAsync(Caller caller, NewTicket request, CancellationToken cancellationToken)
    {
        TicketAccess.RequireCallerKind(caller, TicketAction.Submit);
        var title = request.Title?.Trim();
        var validator = new RequestValidator()
            .Defined(request.Type, "type")
            .Text(title, "title", TicketRules.MaxTitleLength)
            .MultiLineText(request.Description, "description", TicketRules.MaxTextLength)
            .RequestKey(request.RequestId, "request_id");
        AttachmentRules.Check(validator, request.Attachments);
        if (caller.Kind == CallerKind.BillingAccount)
        {
            validator.Check(string.IsNullOrEmpty(request.WorkspaceId), "workspace_id",
                "must be empty for a billing-center session: a workspace's ticket is submitted by a member of it");
            await accounts.AuthorizeAsync(caller, request.BillingAccountId!, BillingAccountPermission.View, cancellationToken, validator);
        }
        else
        {
            validator.Check(string.IsNullOrEmpty(request.BillingAccountId), "billing_account_id",
                "must be empty for a console user: a billing account's ticket is submitted in the billing center");
            await workspaces.AuthorizeAsync(caller, request.WorkspaceId!, WorkspacePermission.View, cancellationToken, validator);
        }

        var submittedBy = caller.SubjectId!;
        var hashes = request.Attachments.Select(a => Convert.ToHexStringLower(SHA256.HashData(a.Content.Span))).ToList();
        var fingerprint = RequestFingerprint.Of([request.BillingAccountId, request.WorkspaceId, (int)request.Type, title, request.Description,
            .. request.Attachments.SelectMany((a, i) => new object?[] { a.FileName, hashes[i] })]);
        if (await ReplayCreateAsync(submittedBy, request.RequestId!, fingerprint, cancellationToken) is { } earlier)
        {
            return (earlier, true);
        }

        var now = clock.GetUtcNow();
        var ticket = new Ticket
        {
            Id = Ids.New("tk", clock),
            BillingAccountId = caller.Kind == CallerKind.BillingAccount ? submittedBy : null,
            WorkspaceId = caller.Kind == CallerKind.User ? request.WorkspaceId : null,
            Type = request.Type,
            Title = title!,
            SearchTitle = title!.ToLowerInvariant(),
            State = TicketState.WaitingForAssignment,
            CreatedByUserId = caller.UserIdOrNull,
            SubmittedBy = submittedBy,
            RequestId = request.RequestId!,
            RequestFingerprint = fingerprint,
            CreatedAt = now,
            UpdatedAt = now,
            MessageCount = 1,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Tickets.Add(ticket);
        AddMessage(ticket.Id, 1, TicketAuthor.Submitter, caller.UserIdOrNull, request.Description!, request.Attachments, hashes,
            request.RequestId!, fingerprint, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (ticket, false);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // The same request id won a race: answer as it did.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
        }
        return (await ReplayCreateAsync(submittedBy, request.RequestId!, fingerprint, cancellationToken)
            ?? throw new InvalidOperationException("A ticket's request id was taken, yet its ticket is missing."), true);
    }

    /// <summary>
    /// A message from the submitter's side (a FEEDBACK_PROVIDED ticket goes back to WAITING_FOR_FEEDBACK)
    /// or from support (an accepted ticket becomes FEEDBACK_PROVIDED and its 7 days start again).
    /// </summary>
    public async Task<TicketReply> ReplyAsync(Caller caller, string? ticketId, string? text, IReadOnlyList<AttachmentUpload> attachments, string? requestId,
        CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().MultiLineText(text, "text", TicketRules.MaxTextLength).RequestKey(requestId, "request_id");
        TicketAccess.RequireCallerKind(caller, TicketAction.View);
        AttachmentRules.Check(validator, attachments);
        var ticket = await access.AuthorizeAsync(caller, ticketId, TicketAction.View, cancellationToken, validator);

        var author = caller.IsOperator ? TicketAuthor.Support : TicketAuthor.Submitter;
        var hashes = attachments.Select(a => Convert.ToHexStringLower(SHA256.HashData(a.Content.Span))).ToList();
        var fingerprint = RequestFingerprint.Of([(int)author, text, .. attachments.SelectMany((a, i) => new object?[] { a.FileName, hashes[i] })]);
        if (await ReplayReplyAsync(ticket.Id, requestId!, fingerprint, cancellationToken) is { } earlier)
        {
            return new TicketReply(await ReloadAsync(ticket.Id, cancellationToken), earlier, true);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The conditional update comes first: it takes the ticket's row, so a concurrent close or reply waits for this one.
        var moved = author == TicketAuthor.Support
            ? await db.Tickets.Where(t => t.Id == ticket.Id && (t.State == TicketState.WaitingForFeedback || t.State == TicketState.FeedbackProvided))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TicketState.FeedbackProvided).SetProperty(t => t.FeedbackAt, now)
                    .SetProperty(t => t.UpdatedAt, now).SetProperty(t => t.MessageCount, t => t.MessageCount + 1), cancellationToken)
            : await db.Tickets.Where(t => t.Id == ticket.Id && t.State != TicketState.Closed && t.State != TicketState.Cancelled)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.State, t => t.State == TicketState.FeedbackProvided ? TicketState.WaitingForFeedback : t.State)
                    .SetProperty(t => t.UpdatedAt, now).SetProperty(t => t.MessageCount, t => t.MessageCount + 1), cancellationToken);
        if (moved == 0)
        {
            var state = await db.Tickets.AsNoTracking().Where(t => t.Id == ticket.Id).Select(t => t.State).FirstAsync(cancellationToken);
            throw TicketTransitions.WrongState(ticket.Id, state, author == TicketAuthor.Support ? "support's reply" : "a reply");
        }
        // The row is this transaction's now: the count it holds is this message's place in the thread.
        var sequence = await db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.MessageCount).FirstAsync(cancellationToken);
        var message = AddMessage(ticket.Id, sequence, author, caller.UserIdOrNull, text!, attachments, hashes, requestId!, fingerprint, now);
        if (author == TicketAuthor.Support)
        {
            await notices.RepliedAsync(ticket, message.Id, now, cancellationToken);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new TicketReply(await ReloadAsync(ticket.Id, cancellationToken), message, false);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
        }
        var replayed = await ReplayReplyAsync(ticket.Id, requestId!, fingerprint, cancellationToken)
            ?? throw new InvalidOperationException("A reply's request id was taken, yet its message is missing.");
        return new TicketReply(await ReloadAsync(ticket.Id, cancellationToken), replayed, true);
    }

    private TicketMessage AddMessage(string ticketId, int sequence, TicketAuthor author, string? userId, string text, IReadOnlyList<AttachmentUpload> attachments,
        List<string> hashes, string requestId, string fingerprint, DateTimeOffset now)
    {
        var message = new TicketMessage
        {
            Id = Ids.New("tkm", clock),
            TicketId = ticketId,
            Sequence = sequence,
            Author = author,
            AuthorUserId = userId,
            Text = text,
            CreatedAt = now,
            RequestId = requestId,
            RequestFingerprint = fingerprint,
        };
        db.TicketMessages.Add(message);
        for (var i = 0; i < attachments.Count; i++)
        {
            var id = Ids.New("tka", clock);
            db.TicketAttachments.Add(new TicketAttachment
            {
                Id = id,
                TicketId = ticketId,
                MessageId = message.Id,
                Position = i,
                FileName = attachments[i].FileName,
                SizeBytes = attachments[i].Content.Length,
                Sha256 = hashes[i],
            });
            db.TicketAttachmentContents.Add(new TicketAttachmentContent { AttachmentId = id, Content = attachments[i].Content.ToArray() });
        }
        return message;
    }

    private Task<Ticket> ReloadAsync(string ticketId, CancellationToken cancellationToken) =>
        db.Tickets.AsNoTracking().FirstAsync(t => t.Id == ticketId, cancellationToken);

    private async Task<Ticket?> ReplayCreateAsync(string submittedBy, string requestId, string fingerprint, CancellationToken cancellationToken)
    {
        var earlier = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.SubmittedBy == submittedBy && t.RequestId == requestId, cancellationToken);
        if (earlier is not null && earlier.RequestFingerprint != fingerprint)
        {
            throw Errors.Precondition(ErrorReasons.RequestIdReused, $"request_id {requestId}",
                $"request_id {Errors.Echo(requestId)} was already used for a different ticket; use a new one.");
        }
        return earlier;
    }

    private async Task<TicketMessage?> ReplayReplyAsync(string ticketId, string requestId, string fingerprint, CancellationToken cancellationToken)
    {
        var earlier = await db.TicketMessages.AsNoTracking().FirstOrDefaultAsync(m => m.TicketId == ticketId && m.RequestId == requestId, cancellationToken);
        if (earlier is not null && earlier.RequestFingerprint != fingerprint)
        {
            throw Errors.Precondition(ErrorReasons.RequestIdReused, $"request_id {requestId}",
                $"request_id {Errors.Echo(requestId)} was already used for a different message of this ticket; use a new one.");
        }
        return earlier;
    }
}
