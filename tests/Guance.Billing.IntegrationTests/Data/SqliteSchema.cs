using System.Data.Common;
using System.Text.RegularExpressions;
using static Guance.Billing.IntegrationTests.Data.DatabaseSchema;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// Reads a SQLite schema from <c>sqlite_master</c> and the table-valued pragmas (<c>table_info</c>,
/// <c>index_list</c>, <c>index_xinfo</c>, <c>foreign_key_list</c>). Constraint names, AUTOINCREMENT,
/// CHECK constraints and index filters exist only in the stored CREATE statements, so those are
/// taken from there.
/// </summary>
internal static partial class SqliteSchema
{
    public static async Task<List<string>> ReadAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(connection,
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'",
            r => (Name: r.GetString(0), Sql: r.GetString(1)));
        foreach (var (table, sql) in tables.Where(t => !IsEfTable(t.Name)))
        {
            lines.Add($"table {table}");

            var columns = await QueryAsync(connection,
                "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(@table)",
                r => (Name: r.GetString(0), Type: r.GetString(1), NotNull: r.GetInt64(2) != 0, Default: Text(r, 3), Key: r.GetInt64(4)),
                ("@table", table));
            foreach (var column in columns)
            {
                lines.Add($"column {table}.{column.Name} {column.Type} {(column.NotNull ? "not null" : "null")}"
                    + (column.Default is null ? "" : $" default {column.Default}"));
            }
            var keyColumns = columns.Where(c => c.Key > 0).OrderBy(c => c.Key).Select(c => c.Name).ToList();
            if (keyColumns.Count > 0)
            {
                var name = PrimaryKeyName().Match(sql) is { Success: true } m ? m.Groups[1].Value : "(unnamed)";
                var autoincrement = sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase) ? " autoincrement" : "";
                lines.Add($"primary key {table} {name} ({string.Join(", ", keyColumns)}){autoincrement}");
            }

            foreach (Match check in CheckConstraint().Matches(sql))
            {
                lines.Add($"check {table} {check.Groups[1].Value} {Normalize(Parenthesized(sql, check.Index + check.Length - 1))}");
            }

            var foreignKeys = await QueryAsync(connection,
                "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(@table) ORDER BY id, seq",
                r => (Id: r.GetInt64(0), Target: r.GetString(1), From: r.GetString(2), To: Text(r, 3), OnUpdate: r.GetString(4), OnDelete: r.GetString(5)),
                ("@table", table));
            foreach (var key in foreignKeys.GroupBy(k => k.Id))
            {
                var first = key.First();
                lines.Add($"foreign key {table} ({string.Join(", ", key.Select(k => k.From))}) references {first.Target} "
                    + $"({string.Join(", ", key.Select(k => k.To))}) on update {first.OnUpdate} on delete {first.OnDelete}");
            }

            var indexes = await QueryAsync(connection,
                "SELECT name, \"unique\", origin FROM pragma_index_list(@table)",
                r => (Name: r.GetString(0), Unique: r.GetInt64(1) != 0, Origin: r.GetString(2)),
                ("@table", table));
            // The primary key's own index is described by the primary key line.
            foreach (var index in indexes.Where(i => i.Origin != "pk"))
            {
                var keys = await QueryAsync(connection,
                    "SELECT name, \"desc\", coll FROM pragma_index_xinfo(@index) WHERE key = 1 ORDER BY seqno",
                    r => $"{r.GetString(0)}{(r.GetInt64(1) != 0 ? " desc" : "")} collate {r.GetString(2)}",
                    ("@index", index.Name));
                if (index.Origin == "u")
                {
                    // A UNIQUE constraint (an EF alternate key): SQLite names its index by position only.
                    lines.Add($"unique {table} ({string.Join(", ", keys)})");
                    continue;
                }
                var indexSql = (await QueryAsync(connection, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = @index",
                    r => r.GetString(0), ("@index", index.Name))).Single();
                var where = IndexFilter().Match(indexSql);
                lines.Add($"index {table} {index.Name} {(index.Unique ? "unique" : "non-unique")} ({string.Join(", ", keys)})"
                    + (where.Success ? $" where {Normalize(where.Groups[1].Value)}" : ""));
            }
        }
        return lines;
    }

    /// <summary>The text inside the parentheses that open at <paramref name="open"/>.</summary>
    private static string Parenthesized(string sql, int open)
    {
        int depth = 0;
        for (int i = open; i < sql.Length; i++)
        {
            depth += sql[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return sql[(open + 1)..i];
            }
        }
        return sql[(open + 1)..];
    }

    /// <summary>Quotes and spacing differ between how a migration and EnsureCreated write the same expression.</summary>
    private static string Normalize(string expression) =>
        Whitespace().Replace(expression.Replace("\"", ""), " ").Trim().TrimStart('(').TrimEnd(')').Trim();

    [GeneratedRegex("CONSTRAINT\\s+\"([^\"]+)\"\\s+PRIMARY\\s+KEY", RegexOptions.IgnoreCase)]
    private static partial Regex PrimaryKeyName();

    [GeneratedRegex("CONSTRAINT\\s+\"([^\"]+)\"\\s+CHECK\\s*\\(", RegexOptions.IgnoreCase)]
    private static partial Regex CheckConstraint();

    [GeneratedRegex("\\sWHERE\\s+(.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex IndexFilter();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
