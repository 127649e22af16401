using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Workspaces;

/// <summary>Collector (DataKit) tokens: one workspace each, usage ingestion only.</summary>
public sealed class CollectorTokenManager(BillingDbContext db, WorkspaceAccess access, AccessTokenService tokens, TimeProvider clock)
{
    private const string TokenList = "collector_tokens";

    public async Task<(AccessToken Token, string Bearer)> CreateAsync(Caller caller, string workspaceId, string displayName, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Text(displayName?.Trim(), "display_name", 64);
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageCollectorTokens, cancellationToken, validator);
        WorkspaceManager.EnsureActive(grant.Workspace);
        var issued = tokens.Issue(TokenKind.Collector, workspaceId, displayName!.Trim(), expiresAt: null, createdByUserId: caller.SubjectId);
        await db.SaveChangesAsync(cancellationToken);
        return issued;
    }

    public async Task<(IReadOnlyList<AccessToken> Tokens, string NextPageToken)> ListAsync(Caller caller, string workspaceId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Page(pageSize, pageToken, $"{TokenList}:{workspaceId}", out var page);
        await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageCollectorTokens, cancellationToken, validator);
        return await page.FetchAsync(
            db.AccessTokens.AsNoTracking().Where(t => t.SubjectId == workspaceId && t.Kind == TokenKind.Collector), t => t.Id, cancellationToken);
    }

    public async Task<AccessToken> RevokeAsync(Caller caller, string workspaceId, string tokenId, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Id(tokenId, "collector_token_id", TokenCodec.IdPrefix(TokenKind.Collector));
        await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageCollectorTokens, cancellationToken, validator);
        var token = await db.AccessTokens.FirstOrDefaultAsync(
            t => t.Id == tokenId && t.SubjectId == workspaceId && t.Kind == TokenKind.Collector, cancellationToken)
            ?? throw Errors.NotFound(ResourceTypes.CollectorToken, tokenId);
        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }
        return token;
    }
}
