using System.Data.Common;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// A collector token and its workspace as ingestion reads them: at a stream's open (pooled connection), and
/// for every batch inside the usage writer's transaction, all the tokens of a group commit in one read
/// (<see cref="IUsageStore.ReadAdmissions"/>). Times in Unix microseconds; <see cref="LockAt"/> is the
/// settlement's lock date, which <see cref="IWorkspaceLockOracle"/> interprets.
/// </summary>
public readonly record struct TokenAdmission(
    string TokenId, long? RevokedAt, long? ExpiresAt, WorkspaceState State, Plan Plan, long? UpgradedAt, string SiteCode, string WorkspaceId, long? LockAt)
{
    /// <summary>The columns <see cref="Read"/> takes, in its order; the statement ends with its own WHERE.</summary>
    internal const string SelectSql = """
        SELECT t.id, t.revoked_at, t.expires_at, w.state, w.plan, w.upgraded_at, w.site_code, w.id, s.lock_at
        FROM access_tokens t JOIN workspaces w ON w.id = t.subject_id
        LEFT JOIN workspace_settlements s ON s.workspace_id = w.id
        """;

    internal const int CollectorKind = (int)TokenKind.Collector;

    internal static TokenAdmission Read(DbDataReader reader) => Read(new ReaderColumns(reader));

    internal static TokenAdmission Read<TRow>(TRow row) where TRow : IRowColumns => new(
        TokenId: row.Text(0),
        RevokedAt: row.IsNull(1) ? null : row.Int64(1),
        ExpiresAt: row.IsNull(2) ? null : row.Int64(2),
        State: (WorkspaceState)row.Int32(3),
        Plan: (Plan)row.Int32(4),
        UpgradedAt: row.IsNull(5) ? null : row.Int64(5),
        SiteCode: row.Text(6),
        WorkspaceId: row.Text(7),
        LockAt: row.IsNull(8) ? null : row.Int64(8));

    public WorkspaceSnapshot ToSnapshot() =>
        new(WorkspaceId, Sites.Get(SiteCode), Plan, State, UpgradedAt is { } upgraded ? UnixMicrosecondsConverter.FromMicroseconds(upgraded) : null);

    /// <summary>
    /// Why a call or batch with this token is refused whatever it carries (the stream ends), or null:
    /// <paramref name="admission"/> null is a token that does not exist (or is not a collector token).
    /// </summary>
    public static BillingException? Refusal(TokenAdmission? admission, string tokenId, long nowMicros)
    {
        if (admission is not { } token)
        {
            return Errors.Unauthenticated(ErrorReasons.TokenInvalid, "The bearer token is not valid.");
        }
        if (token.State == WorkspaceState.Dissolved)
        {
            return UsageErrors.Dissolved(token.WorkspaceId);
        }
        if (token.RevokedAt is not null)
        {
            return Errors.Unauthenticated(ErrorReasons.TokenRevoked, "The collector token has been revoked; the stream ends.").With("token_id", tokenId);
        }
        if (token.ExpiresAt is { } expiresAt && expiresAt <= nowMicros)
        {
            return Errors.Unauthenticated(ErrorReasons.TokenExpired, "The collector token has expired; the stream ends.").With("token_id", tokenId);
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="snapshot"/>, which a batch was aggregated with, still describes the workspace: the
    /// period of a record depends on the plan and the upgrade instant (docs/domain.md §2).
    /// </summary>
    public bool Matches(WorkspaceSnapshot snapshot) =>
        snapshot.Id == WorkspaceId && snapshot.Plan == Plan
        && (snapshot.UpgradedAt is { } upgraded ? UnixMicrosecondsConverter.ToMicroseconds(upgraded) : (long?)null) == UpgradedAt;
}
