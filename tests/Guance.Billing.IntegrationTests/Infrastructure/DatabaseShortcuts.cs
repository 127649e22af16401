using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Domain = Guance.Billing.Workspaces;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// Test-only shortcuts that write straight into the host's database, for states that no RPC can
/// reach yet. Each says which RPC it stands in for; replace it by that RPC once it exists.
/// </summary>
public static class DatabaseShortcuts
{
    /// <summary>
    /// Puts a workspace on the commercial plan, as UpgradeToCommercial will (which also binds a
    /// billing account); until that RPC exists, retention tests need a commercial workspace.
    /// </summary>
    public static async Task MakeCommercialAsync(this BillingHost host, string workspaceId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var now = host.Clock.GetUtcNow();
        var updated = await db.Workspaces
            .Where(w => w.Id == workspaceId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(w => w.Plan, Domain.Plan.Commercial)
                .SetProperty(w => w.UpgradedAt, (DateTimeOffset?)now)
                .SetProperty(w => w.Version, w => w.Version + 1));
        Assert.Equal(1, updated);
    }
}
