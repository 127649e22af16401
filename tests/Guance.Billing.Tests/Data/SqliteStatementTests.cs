using System.Data.Common;
using Guance.Billing.Data;
using Microsoft.Data.Sqlite;

namespace Guance.Billing.Tests.Data;

/// <summary>
/// The usage writer's statements on SQLite's own API: they write and compare what Microsoft.Data.Sqlite
/// (and so EF Core) writes and reads, report errors as <see cref="SqliteException"/> and stay usable after
/// one, and a run allocates nothing, where the same run through ADO.NET allocates for every parameter.
/// </summary>
public sealed class SqliteStatementTests : IDisposable
{
    private const string UpsertSql = """
        INSERT INTO points (workspace_id, billing_day, quantity) VALUES (@workspace, @day, @quantity)
        ON CONFLICT (workspace_id, billing_day) DO UPDATE SET quantity = points.quantity + excluded.quantity
        """;

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteStatementTests()
    {
        _connection.Open();
        _connection.Command("CREATE TABLE points (workspace_id TEXT NOT NULL, billing_day TEXT NOT NULL, quantity INTEGER NOT NULL, PRIMARY KEY (workspace_id, billing_day))").ExecuteNonQuery();
    }

    [Fact]
    public void Text_and_days_are_bound_as_Microsoft_Data_Sqlite_binds_them()
    {
        var day = new DateOnly(2026, 1, 5);
        using var upsert = new SqliteStatement(_connection, UpsertSql);

        Assert.Equal(1, upsert.Bind("@workspace", "ws_é中🙂").Bind("@day", day).Bind("@quantity", 7).Execute());
        Assert.Equal(1, upsert.Bind("@workspace", "ws_é中🙂").Bind("@day", day).Bind("@quantity", 5).Execute());

        // Read back through ADO.NET with its own binding of the same values: the upsert found the row again, and so does it.
        using var read = _connection.Command("SELECT quantity, billing_day FROM points WHERE workspace_id = @workspace AND billing_day = @day")
            .With("@workspace", "ws_é中🙂").With("@day", day);
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(12, reader.GetInt64(0));
        Assert.Equal("2026-01-05", reader.GetString(1));
        Assert.False(reader.Read());
    }

    [Fact]
    public void A_query_reads_its_rows_and_can_run_again()
    {
        _connection.Command("INSERT INTO points VALUES ('ws_1', '2026-01-01', 1), ('ws_1', '2026-01-02', 2), ('ws_2', '2026-01-01', 40)").ExecuteNonQuery();
        using var query = new SqliteStatement(_connection, "SELECT billing_day, quantity FROM points WHERE workspace_id = @workspace ORDER BY billing_day");

        for (var run = 0; run < 2; run++)
        {
            var rows = new List<(string, long)>();
            using (var result = query.Bind("@workspace", "ws_1").Query())
            {
                while (result.Next())
                {
                    rows.Add((result.Text(0), result.Int64(1)));
                }
            }
            Assert.Equal([("2026-01-01", 1L), ("2026-01-02", 2L)], rows);
        }

        // Stopping after the first row leaves the statement ready for the next run too.
        using (var first = query.Bind("@workspace", "ws_2").Query())
        {
            Assert.True(first.Next());
            Assert.Equal(40, first.Int64(1));
        }
        using var none = query.Bind("@workspace", "ws_9").Query();
        Assert.False(none.Next());
    }

    [Fact]
    public void A_failed_run_throws_a_SqliteException_and_the_statement_stays_usable()
    {
        using var insert = new SqliteStatement(_connection, "INSERT INTO points (workspace_id, billing_day, quantity) VALUES (@workspace, @day, @quantity)");
        insert.Bind("@workspace", "ws_1").Bind("@day", new DateOnly(2026, 1, 1)).Bind("@quantity", 1).Execute();

        var error = Assert.Throws<SqliteException>(() => insert.Bind("@quantity", 2).Execute());
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT: the primary key

        Assert.Equal(1, insert.Bind("@day", new DateOnly(2026, 1, 2)).Execute());
        Assert.Throws<ArgumentException>(() => insert.Bind("@missing", 1));
        Assert.Equal(2L, _connection.Command("SELECT COUNT(*) FROM points").ExecuteScalar());
    }

    [Fact]
    public void A_run_allocates_nothing_where_ADO_NET_allocates_for_each_parameter()
    {
        using var statement = new SqliteStatement(_connection, UpsertSql);
        using var command = _connection.Reusable(UpsertSql, "@workspace", "@day", "@quantity");
        var day = new DateOnly(2026, 1, 5);
        void RunStatement(int i) => statement.Bind("@workspace", "ws_1").Bind("@day", day).Bind("@quantity", i).Execute();
        void RunCommand(int i) => command.Set("@workspace", "ws_1").Set("@day", day).Set("@quantity", i).ExecuteNonQuery();

        // Per-thread counts, so other tests running beside this one do not count.
        static long AllocatedBy(Action<int> run)
        {
            run(0);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 1; i <= 1_000; i++)
            {
                run(i);
            }
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, AllocatedBy(RunStatement));
        Assert.True(AllocatedBy(RunCommand) > 100_000, "the same runs through ADO.NET, for contrast");
        Assert.Equal(2 * 500_500L, _connection.Command("SELECT quantity FROM points").ExecuteScalar());
    }

    public void Dispose() => _connection.Dispose();
}
