using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
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

    [Fact]
    public void A_row_maps_the_same_from_SQLite_s_statement_as_from_ADO_NET_s_reader()
    {
        // The usage writer reads its tokens through its own statement, the stream's open through ADO.NET: one mapping, TokenAdmission.Read.
        _connection.Command("""
            CREATE TABLE access_tokens (id TEXT PRIMARY KEY, kind INTEGER, subject_id TEXT, revoked_at INTEGER, expires_at INTEGER);
            CREATE TABLE workspaces (id TEXT PRIMARY KEY, state INTEGER, plan INTEGER, upgraded_at INTEGER, site_code TEXT);
            CREATE TABLE workspace_settlements (workspace_id TEXT PRIMARY KEY, lock_at INTEGER);
            INSERT INTO workspaces VALUES ('ws_bare', 1, 1, NULL, 'cn1'), ('ws_full', 2, 2, 1700000000000000, 'eu1');
            INSERT INTO workspace_settlements VALUES ('ws_full', 1700000300000000);
            INSERT INTO access_tokens VALUES ('tok_bare', @kind, 'ws_bare', NULL, NULL), ('tok_full', @kind, 'ws_full', 1700000100000000, 1700000200000000);
            """).With("@kind", TokenAdmission.CollectorKind).ExecuteNonQuery();
        const string Sql = TokenAdmission.SelectSql + " WHERE t.id = @token";
        using var statement = new SqliteStatement(_connection, Sql);

        foreach (var token in new[] { "tok_bare", "tok_full" })
        {
            using var command = _connection.Command(Sql).With("@token", token);
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            using var rows = statement.Bind("@token", token).Query();
            Assert.True(rows.Next());
            var read = TokenAdmission.Read(rows);

            Assert.Equal(TokenAdmission.Read(reader), read);
            Assert.Equal(token, read.TokenId);
        }
        using (var full = statement.Bind("@token", "tok_full").Query())
        {
            Assert.True(full.Next());
            Assert.Equal(
                new TokenAdmission("tok_full", 1700000100000000, 1700000200000000, WorkspaceState.Dissolved,
                    Plan.Commercial, 1700000000000000, "eu1", "ws_full", 1700000300000000),
                TokenAdmission.Read(full));
        }
    }

    public void Dispose() => _connection.Dispose();
}
