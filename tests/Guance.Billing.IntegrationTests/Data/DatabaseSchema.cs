using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// The schema of a database as the engine reports it, one line per fact ("table users", "column
/// users.email text not null collate C", "index users ix_users_email unique (email)"...), so that
/// two schemas compare as sets of lines and a difference reads as a list. EF's own tables
/// (<c>__EFMigrationsHistory</c>, <c>__EFMigrationsLock</c>) are left out.
/// </summary>
public sealed record DatabaseSchema(IReadOnlySet<string> Lines)
{
    public static async Task<DatabaseSchema> ReadAsync(DbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            var lines = db.Database.IsNpgsql() ? await PostgresSchema.ReadAsync(connection) : await SqliteSchema.ReadAsync(connection);
            return new DatabaseSchema(lines.ToHashSet(StringComparer.Ordinal));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public bool HasTable(string table) => Lines.Contains($"table {table}");

    public bool HasColumn(string table, string column) => Lines.Any(l => l.StartsWith($"column {table}.{column} ", StringComparison.Ordinal));

    public bool HasIndex(string table, string index) => Lines.Any(l => l.StartsWith($"index {table} {index} ", StringComparison.Ordinal));

    /// <summary>Lines of this schema missing from <paramref name="other"/>, sorted.</summary>
    public IReadOnlyList<string> Except(DatabaseSchema other) =>
        Lines.Where(l => !other.Lines.Contains(l)).Order(StringComparer.Ordinal).ToList();

    internal static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    internal static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Convert.ToString(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    internal static bool IsEfTable(string table) => table.StartsWith("__EF", StringComparison.Ordinal);
}
