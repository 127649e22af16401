using System.Security.Cryptography;
using System.Text;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.BillingAccounts;

/// <summary>A binding code as created: shown once.</summary>
public sealed record BindingCodeGrant(BindingCode BindingCode, string Code);

/// <summary>The billing account that consented, and the code that said so.</summary>
public sealed record BindingCodeRedemption(string BillingAccountId, string BindingCodeId);

/// <summary>A binding code with its state when it was read.</summary>
public sealed record BindingCodeView(BindingCode Code, BindingCodeState State);

/// <summary>A workspace bound to a billing account, with its name and site.</summary>
public sealed record BoundWorkspaceView(string WorkspaceId, string Name, string SiteCode, DateTimeOffset BoundAt);

/// <summary>
/// Binding consent: a billing account creates a one-time code (12 characters, 60 random bits,
/// <see cref="BillingCenterOptions.BindingCodeLifetime"/>); a workspace Owner redeems it through
/// daily settlement (upgrade or change of binding), which then writes the <see cref="WorkspaceBinding"/>.
/// </summary>
public sealed class BindingCodeManager(BillingDbContext db, BillingAccountAccess access, IOptions<BillingCenterOptions> options, TimeProvider clock)
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const int CodeLength = 12;
    private const string BoundList = "bound_workspaces";
    private const string CodeList = "binding_codes";

    /// <summary>A new code; only the account itself (its own session) may consent.</summary>
    public async Task<BindingCodeGrant> CreateAsync(Caller caller, string billingAccountId, CancellationToken cancellationToken)
    {
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Consent, cancellationToken);
        var raw = RandomNumberGenerator.GetString(Alphabet, CodeLength);
        var now = clock.GetUtcNow();
        var code = new BindingCode
        {
            Id = Ids.New("bc", clock),
            BillingAccountId = billingAccountId,
            CodeHash = Hash(raw),
            CreatedAt = now,
            ExpiresAt = now + options.Value.BindingCodeLifetime,
        };
        db.BindingCodes.Add(code);
        await db.SaveChangesAsync(cancellationToken);
        return new BindingCodeGrant(code, $"{raw[..4]}-{raw[4..8]}-{raw[8..]}");
    }

    /// <summary>
    /// Uses a code up for <paramref name="workspaceId"/> and says which billing account consented.
    /// For daily settlement, which checks the caller (the workspace Owner) and writes the binding:
    /// call it inside your database transaction, so that the code is used up only if the binding commits.
    /// Fails with INVALID_ARGUMENT (field <c>binding_code</c>) for a malformed code and
    /// FAILED_PRECONDITION <c>BINDING_CODE_INVALID</c>, <c>BINDING_CODE_EXPIRED</c>, <c>BINDING_CODE_USED</c> or <c>BINDING_CODE_REVOKED</c>.
    /// </summary>
    public async Task<BindingCodeRedemption> RedeemBindingCodeAsync(string code, string workspaceId, CancellationToken cancellationToken)
    {
        var normalized = Normalize(code);
        new RequestValidator()
            .Check(normalized is not null, "binding_code", "must be a binding code such as K7QM-3XPA-9WRT")
            .Id(workspaceId, "workspace_id", "ws")
            .ThrowIfInvalid();
        var hash = Hash(normalized!);
        var now = clock.GetUtcNow();
        var redeemed = await db.BindingCodes
            .Where(c => c.CodeHash == hash && c.RedeemedAt == null && c.RevokedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RedeemedAt, now).SetProperty(c => c.RedeemedByWorkspaceId, workspaceId), cancellationToken);
        var found = await db.BindingCodes.AsNoTracking().FirstOrDefaultAsync(c => c.CodeHash == hash, cancellationToken);
        if (redeemed == 1)
        {
            return new BindingCodeRedemption(found!.BillingAccountId, found.Id);
        }
        if (found is null)
        {
            throw Errors.Precondition(ErrorReasons.BindingCodeInvalid, "binding_code", "No billing account issued this binding code.");
        }
        throw Unusable(found, now);
    }

    /// <summary>The account's codes, newest first (ids are creation-ordered), with their state: the account's session or the operator.</summary>
    public async Task<(IReadOnlyList<BindingCodeView> Codes, string NextPageToken)> ListAsync(
        Caller caller, string billingAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Page(pageSize, pageToken, $"{CodeList}:{billingAccountId}", out var page);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken, validator);
        var (codes, next) = await page.FetchAsync(db.BindingCodes.AsNoTracking().Where(c => c.BillingAccountId == billingAccountId), c => c.Id, cancellationToken);
        var now = clock.GetUtcNow();
        return (codes.Select(c => new BindingCodeView(c, c.StateAt(now))).ToList(), next);
    }

    /// <summary>
    /// Revokes an unused, unexpired code, so that redeeming it fails with <c>BINDING_CODE_REVOKED</c>. A revoked code
    /// answers the same again (idempotent); a used or expired one is FAILED_PRECONDITION. The update is conditional on
    /// the code being unused, so a redemption at the same moment either wins (and the revocation fails) or loses.
    /// </summary>
    public async Task<BindingCodeView> RevokeAsync(Caller caller, string billingAccountId, string bindingCodeId, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Id(bindingCodeId, "binding_code_id", "bc");
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Manage, cancellationToken, validator);
        var now = clock.GetUtcNow();
        await db.BindingCodes
            .Where(c => c.Id == bindingCodeId && c.BillingAccountId == billingAccountId && c.RevokedAt == null && c.RedeemedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, now), cancellationToken);
        var code = await db.BindingCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Id == bindingCodeId && c.BillingAccountId == billingAccountId, cancellationToken)
            ?? throw Errors.NotFound(ResourceTypes.BindingCode, bindingCodeId);
        return code.RevokedAt is not null ? new BindingCodeView(code, BindingCodeState.Revoked) : throw Unusable(code, now);
    }

    /// <summary>Why a code that is not unused cannot be redeemed or revoked.</summary>
    private static BillingException Unusable(BindingCode code, DateTimeOffset now) => code.StateAt(now) switch
    {
        BindingCodeState.Revoked => Errors.Precondition(ErrorReasons.BindingCodeRevoked, "binding_code", "This binding code was revoked by its billing account; ask it for a new one."),
        BindingCodeState.Used => Errors.Precondition(ErrorReasons.BindingCodeUsed, "binding_code", "This binding code was used already; ask the billing account for a new one."),
        _ => Errors.Precondition(ErrorReasons.BindingCodeExpired, "binding_code", "This binding code has expired; ask the billing account for a new one."),
    };

    public async Task<(IReadOnlyList<BoundWorkspaceView> Workspaces, string NextPageToken)> ListBoundWorkspacesAsync(
        Caller caller, string billingAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Page(pageSize, pageToken, $"{BoundList}:{billingAccountId}", out var page);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken, validator);
        var bound = from b in db.WorkspaceBindings.AsNoTracking()
                    join w in db.Workspaces.AsNoTracking() on b.WorkspaceId equals w.Id
                    where b.BillingAccountId == billingAccountId
                    select new { b.WorkspaceId, w.Name, w.SiteCode, b.BoundAt };
        var (rows, next) = await page.FetchAsync(bound, x => x.WorkspaceId, cancellationToken, oldestFirst: true);
        return (rows.Select(x => new BoundWorkspaceView(x.WorkspaceId, x.Name, x.SiteCode, x.BoundAt)).ToList(), next);
    }

    /// <summary>Whether <paramref name="code"/> has the form of a binding code (so that callers can validate a request before redeeming).</summary>
    public static bool IsWellFormed(string? code) => Normalize(code) is not null;

    /// <summary>The code in upper case without dashes and spaces, or null when it cannot be one.</summary>
    private static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 32)
        {
            return null;
        }
        var normalized = string.Concat(code.Where(c => c is not '-' and not ' ')).ToUpperInvariant();
        return normalized.Length == CodeLength && normalized.All(Alphabet.Contains) ? normalized : null;
    }

    private static byte[] Hash(string normalized) => SHA256.HashData(Encoding.UTF8.GetBytes("binding-code:" + normalized));
}
