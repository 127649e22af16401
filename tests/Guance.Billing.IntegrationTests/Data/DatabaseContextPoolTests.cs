using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// Request scopes rent their <see cref="BillingDbContext"/> from EF's pool (docs/performance.md, "Dashboard
/// reads"): whatever a request left on its context (tracked and changed entities, an open connection, an
/// uncommitted transaction, the facade's settings) must be gone for the next request that rents it.
/// </summary>
public sealed class DatabaseContextPoolTests(BillingHost host) : IClassFixture<BillingHost>
{
    private const int Rents = 40;

    [Fact]
    public async Task A_rented_context_is_reused_and_shows_nothing_that_the_request_before_left_on_it()
    {
        var ws = await host.CreateWorkspaceAsync();
        var name = ws.Workspace.Name;
        var rented = new HashSet<BillingDbContext>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < Rents; i++)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            rented.Add(db);
            AssertClean(db);
            await LeaveStateAsync(db, ws.Id, i);
        }

        // Sequential requests rent from a pool of a few contexts: without pooling every rent is a new context.
        Assert.True(rented.Count < Rents, $"{rented.Count} contexts for {Rents} sequential scopes: the contexts are not pooled");
        // The uncommitted rename was rolled back when the context went back to the pool, and the next call is not blocked by it.
        var read = await ws.Owner.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id });
        Assert.Equal(name, read.Workspace.Name);
        await ws.Owner.Api.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = ws.Id });
    }

    [Fact]
    public async Task A_dashboard_read_leaves_its_context_with_the_connection_closed()
    {
        var ws = await host.CreateWorkspaceAsync();
        foreach (var read in Usage.DashboardReadAccessTests.Reads(host.Clock.GetUtcNow()))
        {
            await read(ws.Administrator.Api, ws.Id);
            for (int i = 0; i < 8; i++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                AssertClean(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
            }
        }
    }

    private static void AssertClean(BillingDbContext db)
    {
        Assert.Empty(db.ChangeTracker.Entries());
        Assert.Equal(QueryTrackingBehavior.TrackAll, db.ChangeTracker.QueryTrackingBehavior);
        Assert.True(db.ChangeTracker.AutoDetectChangesEnabled);
        Assert.True(db.Database.AutoSavepointsEnabled);
        Assert.Null(db.Database.CurrentTransaction);
        Assert.NotEqual(1, db.Database.GetCommandTimeout());
        Assert.Equal(System.Data.ConnectionState.Closed, db.Database.GetDbConnection().State);
    }

    /// <summary>What a request may leave behind: a changed tracked entity, settings, an open transaction with a write in it.</summary>
    private static async Task LeaveStateAsync(BillingDbContext db, string workspaceId, int i)
    {
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceId);
        workspace.Name = $"leaked {i}";
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Database.AutoSavepointsEnabled = false;
        db.Database.SetCommandTimeout(1);
        await db.Database.OpenConnectionAsync();
        await db.Database.BeginTransactionAsync();
        await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.Name, $"uncommitted {i}"));
    }
}
