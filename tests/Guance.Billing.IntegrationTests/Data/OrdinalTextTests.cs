using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// Keyset pagination orders text keys in the database and compares them with &lt; and &gt;, then
/// continues from the last key in .NET: the database's order must be ordinal on every engine,
/// whatever the default collation of a PostgreSQL database is (the test server's is ICU en-US).
/// </summary>
public sealed class OrdinalTextTests(BillingHost host) : IClassFixture<BillingHost>
{
    private static readonly string[] Suffixes = ["a_b", "aB", "ab", "a-c", "A", "b", "Z", "e", "é", "0", "~"];

    [Fact]
    public async Task Text_keys_sort_and_compare_ordinally()
    {
        var prefix = $"ordinal.{Guid.NewGuid():N}.";
        var keys = Suffixes.Select(s => prefix + s).ToList();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        db.GuessThrottles.AddRange(keys.Select(k => new GuessThrottle { Key = k, WindowStartedAt = host.Clock.GetUtcNow() }));
        await db.SaveChangesAsync();

        var sorted = await db.GuessThrottles.AsNoTracking().Where(t => t.Key.StartsWith(prefix))
            .OrderBy(t => t.Key).Select(t => t.Key).ToListAsync();
        Assert.Equal(keys.Order(StringComparer.Ordinal), sorted);

        var after = prefix + "aB";
        var greater = await db.GuessThrottles.AsNoTracking().Where(t => t.Key.StartsWith(prefix) && string.Compare(t.Key, after) > 0)
            .OrderBy(t => t.Key).Select(t => t.Key).ToListAsync();
        Assert.Equal(keys.Where(k => string.CompareOrdinal(k, after) > 0).Order(StringComparer.Ordinal), greater);
    }
}
