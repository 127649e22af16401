using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Workspaces;

/// <summary>The result of a retention change: the retention now, and when the new value applies.</summary>
public sealed record RetentionUpdate(RetentionView Retention, DateTimeOffset EffectiveFrom, bool Immediate);

/// <summary>
/// Retention changes (commercial plan, Owner only). Per data type, the first change of a site-day
/// takes effect at once; later ones wait for the next site-day, the last of them winning.
/// </summary>
public sealed class RetentionManager(BillingDbContext db, WorkspaceAccess access, TimeProvider clock)
{
    public async Task<RetentionUpdate> UpdateAsync(Caller caller, string workspaceId, DataType dataType, int days, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Defined(dataType, "data_type");
        if (Enum.IsDefined(dataType))
        {
            validator.Check(RetentionPolicy.IsAllowed(dataType, days), "days",
                $"must be one of {string.Join(", ", RetentionPolicy.AllowedDays(dataType))} for this data type");
        }
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ChangeRetention, cancellationToken, validator);
        var workspace = grant.Workspace;
        WorkspaceManager.EnsureActive(workspace);
        if (workspace.Plan != Plan.Commercial)
        {
            throw Errors.Precondition(ErrorReasons.RetentionFixedOnExperience, $"workspaces/{workspaceId}",
                $"The experience plan keeps data {RetentionPolicy.ExperienceDays} days; upgrade to the commercial plan to choose retention.");
        }

        var now = clock.GetUtcNow();
        var today = workspace.Site.BillingDayOf(now);
        var userId = caller.SubjectId;
        var immediate = !await db.RetentionChanges.AnyAsync(
            c => c.WorkspaceId == workspaceId && c.DataType == dataType && c.ImmediateOnDay == today, cancellationToken);
        if (immediate)
        {
            db.RetentionChanges.Add(new RetentionChange
            {
                WorkspaceId = workspaceId, DataType = dataType, Days = days, EffectiveFrom = now, RequestedAt = now,
                RequestedByUserId = userId, ImmediateOnDay = today,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // Another request took today's immediate change first: this one waits for tomorrow.
                db.ChangeTracker.Clear();
                immediate = false;
            }
        }
        DateTimeOffset effectiveFrom = now;
        if (!immediate)
        {
            effectiveFrom = workspace.Site.StartOf(today.AddDays(1));
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.RetentionChanges
                .Where(c => c.WorkspaceId == workspaceId && c.DataType == dataType && c.EffectiveFrom > now)
                .ExecuteDeleteAsync(cancellationToken);
            db.RetentionChanges.Add(new RetentionChange
            {
                WorkspaceId = workspaceId, DataType = dataType, Days = days, EffectiveFrom = effectiveFrom, RequestedAt = now,
                RequestedByUserId = userId,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var history = await db.RetentionChanges.AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.DataType == dataType).ToListAsync(cancellationToken);
        return new RetentionUpdate(RetentionView.Of(history, now).Single(), effectiveFrom, immediate);
    }
}
