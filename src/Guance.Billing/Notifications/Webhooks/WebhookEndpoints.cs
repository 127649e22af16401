using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Notifications.Webhooks;

/// <summary>
/// A billing account's webhook endpoints (docs/domain.md §9): created, changed, rotated and removed by
/// the account's own session; read by it or the operator; another account's endpoint is NOT_FOUND;
/// at most <see cref="MaxPerAccount"/> per account.
/// </summary>
public sealed class WebhookEndpoints(BillingDbContext db, BillingAccountAccess access, TimeProvider clock, IOptions<NotificationOptions> options)
{
    public const int MaxPerAccount = 10;
    public const int MaxDescription = 200;

    /// <summary>How long the secret before a rotation keeps signing beside the new one.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    private static readonly string[] UpdatableFields = ["url", "kinds", "description", "enabled"];
    private static readonly string[] CreateFields = ["url", "kinds", "description"];

    public async Task<WebhookEndpointWithSecret> CreateAsync(Caller caller, string billingAccountId, WebhookEndpointInput input, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator();
        Validate(validator, input, CreateFields, options.Value);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Consent, cancellationToken, validator);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A write to the account's row first (changing nothing): concurrent creates of one account wait here
        // (the row lock on PostgreSQL, the write lock on SQLite), so the count below cannot pass the cap.
        await db.BillingAccounts.Where(a => a.Id == billingAccountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.UpdatedAt, a => a.UpdatedAt), cancellationToken);
        if (await db.WebhookEndpoints.CountAsync(e => e.BillingAccountId == billingAccountId, cancellationToken) >= MaxPerAccount)
        {
            throw Errors.Precondition(ErrorReasons.TooManyWebhookEndpoints, $"billing_accounts/{billingAccountId}",
                $"A billing account keeps at most {MaxPerAccount} webhook endpoints; delete one first.");
        }
        var now = clock.GetUtcNow();
        var endpoint = new WebhookEndpoint
        {
            Id = Ids.New("whe", clock),
            BillingAccountId = billingAccountId,
            Url = input.Url!.Trim(),
            Kinds = WebhookKinds.Format(input.Kinds),
            Description = input.Description?.Trim() ?? "",
            Secret = WebhookSecret.New(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new WebhookEndpointWithSecret(endpoint, endpoint.Secret);
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Caller caller, string billingAccountId, CancellationToken cancellationToken)
    {
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken);
        return await db.WebhookEndpoints.AsNoTracking().Where(e => e.BillingAccountId == billingAccountId).OrderBy(e => e.Id).ToListAsync(cancellationToken);
    }

    public async Task<WebhookEndpoint> UpdateAsync(
        Caller caller, string webhookEndpointId, WebhookEndpointInput input, IReadOnlyCollection<string> updateMask, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        var validator = new RequestValidator().Id(webhookEndpointId, "webhook_endpoint.webhook_endpoint_id", "whe");
        if (CheckMask(validator, updateMask))
        {
            Validate(validator, input, updateMask, options.Value);
        }
        validator.ThrowIfInvalid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var endpoint = await FindAsync(caller, webhookEndpointId, tracked: true, cancellationToken);
        if (updateMask.Contains("url"))
        {
            endpoint.Url = input.Url!.Trim();
        }
        if (updateMask.Contains("kinds"))
        {
            endpoint.Kinds = WebhookKinds.Format(input.Kinds);
        }
        if (updateMask.Contains("description"))
        {
            endpoint.Description = input.Description?.Trim() ?? "";
        }
        if (updateMask.Contains("enabled"))
        {
            endpoint.Turn(input.Enabled);
        }
        var now = clock.GetUtcNow();
        endpoint.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        if (!endpoint.Enabled)
        {
            await WebhookDeliveryCancellation.CancelPendingAsync(db, endpoint.Id, WebhookDeliveryCancellation.Disabled, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return endpoint;
    }

    public async Task DeleteAsync(Caller caller, string webhookEndpointId, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        new RequestValidator().Id(webhookEndpointId, "webhook_endpoint_id", "whe").ThrowIfInvalid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await FindAsync(caller, webhookEndpointId, tracked: false, cancellationToken);
        await WebhookDeliveryCancellation.CancelPendingAsync(db, webhookEndpointId, WebhookDeliveryCancellation.Deleted, clock.GetUtcNow(), cancellationToken);
        await db.WebhookEndpoints.Where(e => e.Id == webhookEndpointId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A new secret; the current one becomes the previous one and signs beside it for <see cref="RotationOverlap"/> (a secret older than that is dropped).</summary>
    public async Task<WebhookEndpointWithSecret> RotateSecretAsync(Caller caller, string webhookEndpointId, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        new RequestValidator().Id(webhookEndpointId, "webhook_endpoint_id", "whe").ThrowIfInvalid();
        var endpoint = await FindAsync(caller, webhookEndpointId, tracked: true, cancellationToken);
        var now = clock.GetUtcNow();
        endpoint.PreviousSecret = endpoint.Secret;
        endpoint.PreviousSecretExpiresAt = now + RotationOverlap;
        endpoint.Secret = WebhookSecret.New();
        endpoint.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookEndpointWithSecret(endpoint, endpoint.Secret);
    }

    private Task<WebhookEndpoint> FindAsync(Caller caller, string id, bool tracked, CancellationToken cancellationToken) =>
        FindAsync(db, caller, id, tracked, cancellationToken);

    /// <summary>The endpoint if the caller may see it (its account, the operator), else NOT_FOUND.</summary>
    internal static async Task<WebhookEndpoint> FindAsync(BillingDbContext db, Caller caller, string id, bool tracked, CancellationToken cancellationToken)
    {
        var endpoints = tracked ? db.WebhookEndpoints : db.WebhookEndpoints.AsNoTracking();
        var endpoint = await endpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        return endpoint is not null && Sees(caller, endpoint.BillingAccountId) ? endpoint : throw Errors.NotFound(ResourceTypes.WebhookEndpoint, id);
    }

    internal static bool Sees(Caller caller, string billingAccountId) =>
        caller.Kind == CallerKind.Operator || (caller.Kind == CallerKind.BillingAccount && caller.SubjectId == billingAccountId);

    private static bool CheckMask(RequestValidator validator, IReadOnlyCollection<string> updateMask)
    {
        validator.Check(updateMask.Count > 0, "update_mask", $"must name at least one field: {string.Join(", ", UpdatableFields)}");
        if (!validator.Size(updateMask.Count, "update_mask", RequestValidator.MaxUpdateMaskPaths))
        {
            return false;
        }
        var valid = true;
        foreach (var path in updateMask)
        {
            var known = UpdatableFields.Contains(path);
            valid &= known;
            validator.Check(known, "update_mask", $"'{Errors.Echo(path)}' cannot be updated; updatable fields are {string.Join(", ", UpdatableFields)}");
        }
        return valid;
    }

    private static void Validate(RequestValidator validator, WebhookEndpointInput input, IReadOnlyCollection<string> fields, NotificationOptions options)
    {
        const string prefix = "webhook_endpoint.";
        if (fields.Contains("url"))
        {
            var url = input.Url?.Trim();
            validator.Text(url, prefix + "url", WebhookUrl.MaxLength);
            if (!string.IsNullOrEmpty(url))
            {
                var problem = WebhookUrl.Problem(url, options);
                validator.Check(problem is null, prefix + "url", problem ?? "");
            }
        }
        if (fields.Contains("kinds") && validator.Size(input.Kinds.Count, prefix + "kinds", NotificationOutbox.MaxKinds))
        {
            validator.Check(input.Kinds.All(k => k != 0 && Enum.IsDefined(k)), prefix + "kinds", "must list defined notification kinds only");
        }
        if (fields.Contains("description"))
        {
            validator.Text(input.Description?.Trim(), prefix + "description", MaxDescription, required: false);
        }
    }
}
