using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Notifications;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>What a one-step commercial registration made: the console account, the billing account, the workspace, and a token of each account.</summary>
public sealed record CommercialRegistrationResult(ConsoleAccountService.TokenGrant Console, BillingSessionGrant Billing, WorkspaceDetails Workspace);

/// <summary>
/// RegisterCommercial (docs/domain.md §1, §8): the console account (the e-mail), the billing account
/// (the user name, same e-mail and password) with its wallet, and a commercial workspace of the official
/// website on the chosen site, bound to that account and settling through the billing center, all in one
/// transaction: a clash on the e-mail or the user name creates nothing. Billing starts
/// at the registration instant, as after an upgrade (§2), and the upgrade notice (§9) commits with it. It goes
/// through the same pieces as SignUp, RegisterBillingAccount, CreateWorkspace and UpgradeToCommercial, and is
/// throttled like the first two.
/// </summary>
public sealed class CommercialRegistration(
    BillingDbContext db,
    ConsoleAccountService consoleAccounts,
    BillingAccountManager billingAccounts,
    WorkspaceManager workspaces,
    GuessThrottler throttler,
    NotificationOutbox outbox,
    TimeProvider clock)
{
    public async Task<CommercialRegistrationResult> RegisterAsync(
        Caller caller, string? email, string? password, string? username, string? displayName, string? siteCode, string? workspaceName,
        CancellationToken cancellationToken)
    {
        var validator = ConsoleAccountService.ValidateNewAccount(new RequestValidator(), email, password, displayName);
        BillingAccountManager.ValidateUsername(validator, username);
        WorkspaceManager.ValidateNew(validator, workspaceName, "workspace_name", siteCode).ThrowIfInvalid();

        var normalizedEmail = ConsoleAccountService.NormalizeEmail(email!);
        var trimmedUsername = username!.Trim();
        var lookup = await throttler.CheckLookupAsync(caller.ClientAddress, ErrorReasons.GuessesThrottled, cancellationToken);
        await consoleAccounts.EnsureEmailFreeAsync(lookup, normalizedEmail, cancellationToken);
        await billingAccounts.EnsureUsernameFreeAsync(lookup, trimmedUsername, cancellationToken);

        var now = clock.GetUtcNow();
        var console = consoleAccounts.AddAccount(normalizedEmail, password!, displayName!, "registration");
        var billing = billingAccounts.AddAccount(trimmedUsername, password!, normalizedEmail, displayName, "registration");
        var workspace = workspaces.AddNew(console.User.Id, workspaceName!, siteCode!, ActivationChannel.OfficialWebsite, description: null, now);
        workspace.Plan = Plan.Commercial;
        workspace.UpgradedAt = now;
        // A fresh wallet owes nothing, so no lock is due.
        UpgradeService.StartCommercial(db, new CommercialStart(
            workspace.Id, billing.Account.Account.Id, SettlementMethod.BillingCenter, CloudAccountId: null, LockAt: null, console.User.Id, now));
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // A concurrent registration took the e-mail or the user name first: say which, having created nothing.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                throw await db.Users.AnyAsync(u => u.Email == normalizedEmail, cancellationToken)
                    ? ConsoleAccountService.EmailTaken(normalizedEmail)
                    : BillingAccountManager.UsernameTaken(trimmedUsername);
            }
            // The notice reads the binding just saved; the account's and the Owner's one address gets it once.
            await new WorkspaceNotices(db, outbox).UpgradedAsync(workspace.Id, now, throughMarketplace: false, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var retention = await db.RetentionChanges.AsNoTracking().Where(c => c.WorkspaceId == workspace.Id).ToListAsync(cancellationToken);
        return new CommercialRegistrationResult(console, billing, new WorkspaceDetails(workspace, WorkspaceRole.Owner, RetentionView.Of(retention, now)));
    }
}
