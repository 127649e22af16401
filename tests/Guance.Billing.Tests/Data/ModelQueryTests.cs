using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Tests.Data;

/// <summary>
/// ModelQuery: one compiled query serves contexts of different models in one process (the integration tests
/// run SQLite and PostgreSQL hosts side by side), where EF's own compiled query refuses every model but its first.
/// </summary>
public sealed class ModelQueryTests
{
    private static Func<BillingDbContext, string, CancellationToken, Task<bool>> Compile() =>
        EF.CompileAsyncQuery((BillingDbContext db, string id, CancellationToken _) => db.Workspaces.Any(w => w.Id == id));

    // The shipped compiled model, and the model EF builds from OnModelCreating: two models of the same context.
    private static async Task<T> WithContextAsync<T>(bool compiledModel, Func<BillingDbContext, Task<T>> work)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<BillingDbContext>().UseSqlite(connection);
        if (compiledModel)
        {
            options.UseModel(EngineCompiledModel.For(DatabaseProvider.Sqlite)!);
        }
        await using var db = new BillingDbContext(options.Options);
        await db.Database.EnsureCreatedAsync();
        return await work(db);
    }

    [Fact]
    public async Task A_query_runs_with_each_model_it_meets()
    {
        var query = new ModelQuery<Func<BillingDbContext, string, CancellationToken, Task<bool>>>(Compile);
        Assert.False(await WithContextAsync(true, db => query.For(db)(db, "ws_absent", CancellationToken.None)));
        Assert.False(await WithContextAsync(false, db => query.For(db)(db, "ws_absent", CancellationToken.None)));
    }

    [Fact]
    public async Task EF_refuses_a_compiled_query_on_a_second_model()
    {
        var query = Compile();
        Assert.False(await WithContextAsync(true, db => query(db, "ws_absent", CancellationToken.None)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => WithContextAsync(false, db => query(db, "ws_absent", CancellationToken.None)));
    }
}
