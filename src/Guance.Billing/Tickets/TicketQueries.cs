using System.Globalization;
using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Tickets;

/// <summary>The filters of ListTickets, as read from the request.</summary>
public sealed record TicketFilter(
    string? BillingAccountId, string? WorkspaceId, TicketState? State, TicketType? Type, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo,
    string? TitleKeyword);

/// <summary>A ticket with its thread, oldest message first, and each message's attachments in the order sent.</summary>
public sealed record TicketThread(Ticket Ticket, IReadOnlyList<TicketMessage> Messages, ILookup<string, TicketAttachment> Attachments);

/// <summary>An attachment's name and bytes.</summary>
public sealed record AttachmentFile(string FileName, byte[] Content);

/// <summary>Reading tickets: the caller's list (filtered and paged), one thread, an attachment's bytes.</summary>
public sealed class TicketQueries(BillingDbContext db, TicketAccess access, WorkspaceAccess workspaces, BillingAccountAccess accounts)
{
    private const string TicketList = "tickets";

    public async Task<(IReadOnlyList<Ticket> Tickets, string NextPageToken)> ListAsync(
        Caller caller, TicketFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        TicketAccess.RequireCallerKind(caller, TicketAction.View);
        // The token belongs to the caller and the filters: another caller's or another filter's token is refused.
        var list = string.Join('|', TicketList, caller.SubjectId, filter.BillingAccountId, filter.WorkspaceId, (int?)filter.State, (int?)filter.Type,
            filter.CreatedFrom?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            filter.CreatedTo?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), filter.TitleKeyword);
        var validator = new RequestValidator().Page(pageSize, pageToken, list, out var page);
        validator.Check(filter.State is null || Enum.IsDefined(filter.State.Value), "state", "must be one of the defined states, or unspecified");
        validator.Check(filter.Type is null || Enum.IsDefined(filter.Type.Value), "type", "must be one of the defined types, or unspecified");
        validator.Check(filter.CreatedFrom is null || filter.CreatedTo is null || filter.CreatedFrom < filter.CreatedTo, "create_time_to",
            "must be after create_time_from");
        validator.Check((filter.TitleKeyword?.Length ?? 0) <= TicketRules.MaxTitleKeywordLength, "title_keyword",
            $"must be at most {TicketRules.MaxTitleKeywordLength} characters");
        if (caller.Kind == CallerKind.User)
        {
            validator.Check(string.IsNullOrEmpty(filter.BillingAccountId), "billing_account_id", "must be empty for a console user");
        }
        if (caller.Kind == CallerKind.BillingAccount)
        {
            validator.Check(string.IsNullOrEmpty(filter.WorkspaceId), "workspace_id", "must be empty for a billing-center session");
        }
        if (!string.IsNullOrEmpty(filter.BillingAccountId) && caller.Kind != CallerKind.User)
        {
            await accounts.AuthorizeAsync(caller, filter.BillingAccountId, BillingAccountPermission.View, cancellationToken, validator);
        }
        if (!string.IsNullOrEmpty(filter.WorkspaceId) && caller.Kind != CallerKind.BillingAccount)
        {
            await workspaces.AuthorizeAsync(caller, filter.WorkspaceId, WorkspacePermission.View, cancellationToken, validator);
        }
        validator.ThrowIfInvalid();

        var query = access.Visible(caller).AsNoTracking();
        if (!string.IsNullOrEmpty(filter.BillingAccountId))
        {
            query = query.Where(t => t.BillingAccountId == filter.BillingAccountId);
        }
        if (!string.IsNullOrEmpty(filter.WorkspaceId))
        {
            query = query.Where(t => t.WorkspaceId == filter.WorkspaceId);
        }
        if (filter.State is { } state)
        {
            query = query.Where(t => t.State == state);
        }
        if (filter.Type is { } type)
        {
            query = query.Where(t => t.Type == type);
        }
        if (filter.CreatedFrom is { } from)
        {
            query = query.Where(t => t.CreatedAt >= from);
        }
        if (filter.CreatedTo is { } to)
        {
            query = query.Where(t => t.CreatedAt < to);
        }
        if (!string.IsNullOrEmpty(filter.TitleKeyword))
        {
            var keyword = filter.TitleKeyword.ToLowerInvariant();
            query = query.Where(t => t.SearchTitle.Contains(keyword));
        }
        return await page.FetchAsync(query, t => t.Id, cancellationToken);
    }

    public async Task<TicketThread> GetAsync(Caller caller, string? ticketId, CancellationToken cancellationToken)
    {
        var ticket = await access.AuthorizeAsync(caller, ticketId, TicketAction.View, cancellationToken);
        var messages = await db.TicketMessages.AsNoTracking().Where(m => m.TicketId == ticket.Id).OrderBy(m => m.Sequence).ToListAsync(cancellationToken);
        var attachments = (await db.TicketAttachments.AsNoTracking().Where(a => a.TicketId == ticket.Id).ToListAsync(cancellationToken))
            .OrderBy(a => a.Position).ToLookup(a => a.MessageId, StringComparer.Ordinal);
        return new TicketThread(ticket, messages, attachments);
    }

    /// <summary>An attachment of a ticket the caller sees (NOT_FOUND otherwise, like the ticket).</summary>
    public async Task<AttachmentFile> AttachmentAsync(Caller caller, string? attachmentId, CancellationToken cancellationToken)
    {
        TicketAccess.RequireCallerKind(caller, TicketAction.View);
        new RequestValidator().Id(attachmentId, "attachment_id", "tka").ThrowIfInvalid();
        var attachment = await (from a in db.TicketAttachments.AsNoTracking()
                                join t in access.Visible(caller) on a.TicketId equals t.Id
                                where a.Id == attachmentId
                                select a).FirstOrDefaultAsync(cancellationToken)
            ?? throw Errors.NotFound(ResourceTypes.TicketAttachment, attachmentId!);
        var content = await db.TicketAttachmentContents.AsNoTracking().Where(c => c.AttachmentId == attachment.Id)
            .Select(c => c.Content).FirstAsync(cancellationToken);
        return new AttachmentFile(attachment.FileName, content);
    }
}
