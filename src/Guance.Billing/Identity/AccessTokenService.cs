using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Identity;

/// <summary>Issues bearer tokens and turns a presented token into a <see cref="Caller"/>.</summary>
public sealed class AccessTokenService(BillingDbContext db, OperatorToken operatorToken, TimeProvider clock)
{
    /// <summary>Adds a new token to the unit of work; the caller saves it. The bearer is shown once.</summary>
    public (AccessToken Token, string Bearer) Issue(TokenKind kind, string subjectId, string displayName, DateTimeOffset? expiresAt, string? createdByUserId = null)
    {
        var issued = TokenCodec.Create(kind, clock);
        var token = new AccessToken
        {
            Id = issued.Id,
            Kind = kind,
            SubjectId = subjectId,
            DisplayName = displayName,
            SecretHash = issued.SecretHash,
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = expiresAt,
            CreatedByUserId = createdByUserId,
        };
        db.AccessTokens.Add(token);
        return (token, issued.Bearer);
    }

    /// <summary>The caller that a bearer token stands for; UNAUTHENTICATED for any token that does not work.</summary>
    public async Task<Caller> AuthenticateAsync(string bearer, CancellationToken cancellationToken)
    {
        if (operatorToken.Matches(bearer))
        {
            return Caller.Operator;
        }
        var parsed = TokenCodec.Parse(bearer);
        var token = parsed is null
            ? null
            : await TokenById.For(db)(db, parsed.Id, cancellationToken);
        if (parsed is null || token is null || token.Kind != parsed.Kind
            || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(token.SecretHash, parsed.SecretHash))
        {
            throw Errors.Unauthenticated(ErrorReasons.TokenInvalid, "The bearer token is not valid.");
        }
        if (token.RevokedAt is not null)
        {
            // Dissolving a workspace revokes its collector tokens; the agent is told why, so that it stops for good.
            if (token.Kind == TokenKind.Collector
                && await db.Workspaces.AnyAsync(w => w.Id == token.SubjectId && w.State == WorkspaceState.Dissolved, cancellationToken))
            {
                throw UsageErrors.Dissolved(token.SubjectId);
            }
            throw Errors.Unauthenticated(ErrorReasons.TokenRevoked, "The bearer token has been revoked.").With("token_id", token.Id);
        }
        if (token.ExpiresAt <= clock.GetUtcNow())
        {
            throw Errors.Unauthenticated(ErrorReasons.TokenExpired, "The bearer token has expired; sign in again.").With("token_id", token.Id);
        }
        var kind = token.Kind switch
        {
            TokenKind.User => CallerKind.User,
            TokenKind.Collector => CallerKind.Collector,
            TokenKind.BillingSession => CallerKind.BillingAccount,
            _ => throw new InvalidOperationException($"Unknown token kind {token.Kind}."),
        };
        return new Caller(kind, token.SubjectId, token.Id);
    }

    // Read afresh at every call, never cached: a revoked token is refused by the next call on every host.
    // Compiled once, since every authenticated call runs it (docs/performance.md, "Dashboard reads").
    private static readonly ModelQuery<Func<BillingDbContext, string, CancellationToken, Task<AccessToken?>>> TokenById =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string id, CancellationToken _) => db.AccessTokens.AsNoTracking().FirstOrDefault(t => t.Id == id)));
}
