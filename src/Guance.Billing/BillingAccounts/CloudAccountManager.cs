using System.Text.RegularExpressions;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.BillingAccounts;

/// <summary>
/// The cloud-marketplace accounts of a billing account. One active cloud account (provider, account
/// ID, marketplace instance) belongs to one billing account; removal is refused while a workspace
/// settles through it (<see cref="ICloudAccountGuard"/>).
/// </summary>
public sealed partial class CloudAccountManager(BillingDbContext db, BillingAccountAccess access, ICloudAccountGuard guard, TimeProvider clock)
{
    private const string CloudAccountList = "cloud_accounts";

    public async Task<CloudAccount> AddAsync(
        Caller caller, string billingAccountId, CloudProvider provider, string providerAccountId, string marketplaceInstanceId, string? displayName,
        CancellationToken cancellationToken)
    {
        var accountId = providerAccountId?.Trim() ?? "";
        var instanceId = marketplaceInstanceId?.Trim() ?? "";
        var validator = new RequestValidator().Defined(provider, "provider");
        if (accountId.Length == 0)
        {
            validator.Check(false, "provider_account_id", "is required");
        }
        else if (provider == CloudProvider.Aws)
        {
            validator.Check(AwsAccountId().IsMatch(accountId), "provider_account_id", "must be an AWS account ID: 12 digits");
        }
        else
        {
            validator.Check(OtherAccountId().IsMatch(accountId), "provider_account_id", "must be 1 to 64 letters, digits, '-' or '_'");
        }
        validator.Check(instanceId.Length is > 0 and <= 128 && !instanceId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)),
                "marketplace_instance_id", "must be the marketplace instance or product ID: 1 to 128 characters without spaces")
            .Text(displayName?.Trim(), "display_name", 64, required: false);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Manage, cancellationToken, validator);

        var cloudAccount = new CloudAccount
        {
            Id = Ids.New("ca", clock),
            BillingAccountId = billingAccountId,
            Provider = provider,
            ProviderAccountId = accountId,
            MarketplaceInstanceId = instanceId,
            DisplayName = displayName?.Trim() ?? "",
            CreatedAt = clock.GetUtcNow(),
        };
        if (await db.CloudAccounts.AnyAsync(c => c.Provider == provider && c.ProviderAccountId == accountId
                && c.MarketplaceInstanceId == instanceId && c.RemovedAt == null, cancellationToken))
        {
            throw Taken(accountId);
        }
        db.CloudAccounts.Add(cloudAccount);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw Taken(accountId);
        }
        return cloudAccount;
    }

    public async Task<(IReadOnlyList<CloudAccount> CloudAccounts, string NextPageToken)> ListAsync(
        Caller caller, string billingAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Page(pageSize, pageToken, $"{CloudAccountList}:{billingAccountId}", out var page);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken, validator);
        return await page.FetchAsync(
            db.CloudAccounts.AsNoTracking().Where(c => c.BillingAccountId == billingAccountId && c.RemovedAt == null), c => c.Id, cancellationToken, oldestFirst: true);
    }

    public async Task RemoveAsync(Caller caller, string billingAccountId, string cloudAccountId, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Id(cloudAccountId, "cloud_account_id", "ca");
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Manage, cancellationToken, validator);
        var exists = await db.CloudAccounts.AnyAsync(
            c => c.Id == cloudAccountId && c.BillingAccountId == billingAccountId && c.RemovedAt == null, cancellationToken);
        if (!exists)
        {
            throw Errors.NotFound(ResourceTypes.CloudAccount, cloudAccountId);
        }
        // Remove first, then ask the guard inside the same transaction: the removal holds the row, so a
        // settlement change onto this account either committed before (and the guard sees it: rolled
        // back) or waits and then finds the account removed.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await db.CloudAccounts
            .Where(c => c.Id == cloudAccountId && c.BillingAccountId == billingAccountId && c.RemovedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RemovedAt, clock.GetUtcNow()), cancellationToken);
        if (removed == 0)
        {
            throw Errors.NotFound(ResourceTypes.CloudAccount, cloudAccountId);
        }
        var workspaces = await guard.WorkspacesSettlingThroughAsync(cloudAccountId, cancellationToken);
        if (workspaces.Count > 0)
        {
            throw Errors.Precondition(ErrorReasons.CloudAccountInUse, $"cloud_accounts/{cloudAccountId}",
                    $"{workspaces.Count} workspace(s) settle through this cloud account; change their settlement method first.")
                .With("workspace_ids", string.Join(',', workspaces.Take(20)));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static BillingException Taken(string providerAccountId) =>
        Errors.AlreadyExists(ErrorReasons.CloudAccountTaken, ResourceTypes.CloudAccount, providerAccountId,
            "This cloud account and marketplace instance are already added to a billing account.");

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AwsAccountId();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex OtherAccountId();
}
