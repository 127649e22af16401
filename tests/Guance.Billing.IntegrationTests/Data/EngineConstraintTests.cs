using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// The database rules the domain leans on, as the real engine of the test run enforces and reports
/// them: the filtered one-Owner index, unique keys, and optimistic concurrency; each failure must be
/// recognized by <see cref="DbErrors"/> from the engine's own exception.
/// </summary>
public sealed class EngineConstraintTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task A_workspace_has_at_most_one_owner_row_and_any_number_of_other_members()
    {
        var workspaceId = Ids.New("ws", host.Clock);
        await using (var db = NewContext())
        {
            db.WorkspaceMembers.Add(Member(workspaceId, WorkspaceRole.Owner));
            db.WorkspaceMembers.Add(Member(workspaceId, WorkspaceRole.Administrator));
            db.WorkspaceMembers.Add(Member(workspaceId, WorkspaceRole.Administrator));
            db.WorkspaceMembers.Add(Member(workspaceId, WorkspaceRole.Standard));
            await db.SaveChangesAsync();
        }
        // Another workspace's Owner is no conflict.
        await using (var db = NewContext())
        {
            db.WorkspaceMembers.Add(Member(Ids.New("ws", host.Clock), WorkspaceRole.Owner));
            await db.SaveChangesAsync();
        }

        await using (var db = NewContext())
        {
            db.WorkspaceMembers.Add(Member(workspaceId, WorkspaceRole.Owner));
            var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(DbErrors.IsUniqueViolation(error), error.InnerException?.Message);
        }
        await using (var db = NewContext())
        {
            var admin = await db.WorkspaceMembers.FirstAsync(m => m.WorkspaceId == workspaceId && m.Role == WorkspaceRole.Administrator);
            admin.Role = WorkspaceRole.Owner;
            var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(DbErrors.IsUniqueViolation(error), error.InnerException?.Message);
        }
        await using (var db = NewContext())
        {
            Assert.Equal(1, await db.WorkspaceMembers.CountAsync(m => m.WorkspaceId == workspaceId && m.Role == WorkspaceRole.Owner));
        }
    }

    [Fact]
    public async Task A_second_row_with_a_taken_key_is_a_unique_violation()
    {
        var email = $"unique.{Guid.NewGuid():N}@example.com";
        await using (var db = NewContext())
        {
            db.Users.Add(NewUser(email));
            await db.SaveChangesAsync();
        }
        await using (var db = NewContext())
        {
            db.Users.Add(NewUser(email));
            var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(DbErrors.IsUniqueViolation(error), error.InnerException?.Message);
            Assert.False(DbErrors.IsConcurrencyConflict(error));
        }
    }

    [Fact]
    public async Task A_write_based_on_a_stale_version_is_a_concurrency_conflict()
    {
        var workspace = new Workspace
        {
            Id = Ids.New("ws", host.Clock), Name = "Versioned", SiteCode = "cn1", OwnerUserId = Ids.New("usr", host.Clock),
            CreatedAt = host.Clock.GetUtcNow(),
        };
        await using (var db = NewContext())
        {
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
        }

        await using var first = NewContext();
        await using var second = NewContext();
        var mine = await first.Workspaces.SingleAsync(w => w.Id == workspace.Id);
        var theirs = await second.Workspaces.SingleAsync(w => w.Id == workspace.Id);
        theirs.Name = "Theirs";
        theirs.Version++;
        await second.SaveChangesAsync();
        mine.Name = "Mine";
        mine.Version++;

        var error = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => first.SaveChangesAsync());
        Assert.True(DbErrors.IsConcurrencyConflict(error));
        await using var check = NewContext();
        Assert.Equal("Theirs", (await check.Workspaces.SingleAsync(w => w.Id == workspace.Id)).Name);
    }

    /// <summary>A context on the host's database, configured as the host configures its own (the host is started first).</summary>
    private BillingDbContext NewContext()
    {
        _ = host.Services;
        return host.Database.NewContext();
    }

    private WorkspaceMember Member(string workspaceId, WorkspaceRole role) =>
        new() { WorkspaceId = workspaceId, UserId = Ids.New("usr", host.Clock), Role = role, JoinedAt = host.Clock.GetUtcNow() };

    private User NewUser(string email) =>
        new() { Id = Ids.New("usr", host.Clock), Email = email, DisplayName = "Unique", PasswordHash = "x", CreatedAt = host.Clock.GetUtcNow() };
}
