using System.Data.Common;
using static Guance.Billing.IntegrationTests.Data.DatabaseSchema;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// Reads a PostgreSQL schema (the connection's current schema) from <c>information_schema</c>,
/// <c>pg_constraint</c> and <c>pg_indexes</c>. Constraint and index definitions come from the
/// server's own canonical rendering (<c>pg_get_constraintdef</c>, <c>indexdef</c>), which carries
/// columns, uniqueness, operator classes, collations and filters.
/// </summary>
internal static class PostgresSchema
{
    public static async Task<List<string>> ReadAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(connection,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            r => r.GetString(0));
        lines.AddRange(tables.Where(t => !IsEfTable(t)).Select(t => $"table {t}"));

        var columns = await QueryAsync(connection, """
            SELECT table_name, column_name, udt_name, character_maximum_length, numeric_precision, numeric_scale,
                   is_nullable, column_default, is_identity, identity_generation, collation_name
            FROM information_schema.columns
            WHERE table_schema = current_schema()
            """,
            r => (Table: r.GetString(0), Line: $"column {r.GetString(0)}.{r.GetString(1)} {r.GetString(2)}"
                + (Text(r, 3) is { } length ? $"({length})" : "")
                + (r.GetString(2) == "numeric" ? $"({Text(r, 4)},{Text(r, 5)})" : "")
                + (r.GetString(6) == "YES" ? " null" : " not null")
                + (Text(r, 7) is { } defaultValue ? $" default {defaultValue}" : "")
                + (r.GetString(8) == "YES" ? $" identity {Text(r, 9)?.ToLowerInvariant()}" : "")
                + (Text(r, 10) is { } collation ? $" collate {collation}" : "")));
        lines.AddRange(columns.Where(c => !IsEfTable(c.Table)).Select(c => c.Line));

        var constraints = await QueryAsync(connection, """
            SELECT c.conrelid::regclass::text, c.conname, c.contype::text, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.connamespace = current_schema()::regnamespace AND c.conrelid <> 0
            """,
            r => (Table: r.GetString(0).Trim('"'), Line: $"{Kind(r.GetString(2))} {r.GetString(0).Trim('"')} {r.GetString(1)} {r.GetString(3)}"));
        lines.AddRange(constraints.Where(c => !IsEfTable(c.Table)).Select(c => c.Line));

        var indexes = await QueryAsync(connection,
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()",
            r => (Table: r.GetString(0), Line: $"index {r.GetString(0)} {r.GetString(1)} {r.GetString(2)}"));
        lines.AddRange(indexes.Where(i => !IsEfTable(i.Table)).Select(i => i.Line));
        return lines;
    }

    private static string Kind(string contype) => contype switch
    {
        "p" => "primary key",
        "u" => "unique",
        "f" => "foreign key",
        "c" => "check",
        "x" => "exclusion",
        _ => "constraint " + contype,
    };
}
