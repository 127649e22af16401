using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Guance.Billing.Data;

/// <summary>
/// Set-based inserts, done the way each engine does them best (measured with the closeday benchmark):
/// <list type="bullet">
/// <item>PostgreSQL: a binary <c>COPY</c> (Npgsql's binary import), which the server writes a page of rows at a
/// time, without a statement to parse or arrays to unnest; when the insert returns something (a suffix such as
/// <c>ON CONFLICT ... RETURNING</c>, which COPY cannot do), one <c>INSERT ... SELECT * FROM unnest(arrays)</c>, a
/// parameter per column however many rows (220 ledger entries: 3 ms, against 8.6 ms as one multi-row VALUES
/// statement), which is also what a wallet write sends in its one batch of statements (<see cref="Unnest"/>,
/// LedgerWriter);</item>
/// <item>SQLite: one single-row statement, prepared once and run per row: in-process a statement costs
/// no round trip, while Microsoft.Data.Sqlite binds parameters by name at a cost that grows with the
/// square of their number (a row costs half of a row in a multi-row statement).</item>
/// </list>
/// </summary>
internal static class MultiRowInsert
{
    /// <summary>
    /// Inserts <paramref name="rows"/> into <paramref name="columns"/> of <paramref name="table"/>, values
    /// given per row in column order (each column's type is one of String, Int32, Int64 and Date). With
    /// <paramref name="suffix"/> (for example <c>ON CONFLICT (...) DO NOTHING RETURNING id</c>), returns
    /// what the statements returned (their first column, as strings); without, an empty list.
    /// </summary>
    public static async Task<List<string>> InsertAsync<T>(
        DbConnection connection, DbTransaction? transaction, string table, IReadOnlyList<(string Name, DbType Type)> columns,
        IReadOnlyList<T> rows, Func<T, object?[]> values, CancellationToken cancellationToken, string suffix = "")
    {
        var returned = new List<string>();
        if (rows.Count == 0)
        {
            return returned;
        }
        var columnList = string.Join(", ", columns.Select(c => c.Name));
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (connection is NpgsqlConnection postgres && suffix.Length == 0)
        {
            await CopyAsync(postgres, table, columnList, columns, rows, values, cancellationToken);
            return returned;
        }
        if (connection is NpgsqlConnection)
        {
            var (sql, parameters) = Unnest(table, columns, rows, values, suffix);
            command.CommandText = sql;
            command.Parameters.AddRange(parameters);
            await ExecuteAsync(command, returned, suffix, cancellationToken);
            return returned;
        }

        command.CommandText = $"INSERT INTO {table} ({columnList}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@c{i}"))}) {suffix}";
        for (var column = 0; column < columns.Count; column++)
        {
            command.With($"@c{column}", null, columns[column].Type);
        }
        if (connection is SqliteConnection)
        {
            command.Prepare();
        }
        foreach (var row in rows)
        {
            var rowValues = values(row);
            for (var column = 0; column < columns.Count; column++)
            {
                command.Parameters[column].Value = rowValues[column] ?? DBNull.Value;
            }
            await ExecuteAsync(command, returned, suffix, cancellationToken);
        }
        return returned;
    }

    /// <summary>
    /// PostgreSQL: the rows as one <c>INSERT ... SELECT * FROM unnest(arrays)</c>, a parameter per column however many
    /// rows, for a command of its own or one of a batch sent at once (<see cref="NpgsqlBatch"/>).
    /// </summary>
    public static (string Sql, NpgsqlParameter[] Parameters) Unnest<T>(
        string table, IReadOnlyList<(string Name, DbType Type)> columns, IReadOnlyList<T> rows, Func<T, object?[]> values, string suffix = "")
    {
        var arrays = columns.Select(c => Array(c.Type, rows.Count)).ToArray();
        for (var row = 0; row < rows.Count; row++)
        {
            var rowValues = values(rows[row]);
            for (var column = 0; column < columns.Count; column++)
            {
                arrays[column].SetValue(rowValues[column], row);
            }
        }
        var parameters = columns.Select((c, i) => new NpgsqlParameter($"@c{i}", NpgsqlDbType.Array | ElementType(c.Type)) { Value = arrays[i] }).ToArray();
        var names = string.Join(", ", parameters.Select(p => p.ParameterName));
        return ($"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) SELECT * FROM unnest({names}) {suffix}", parameters);
    }

    /// <summary>The rows by binary COPY, in the connection's current transaction.</summary>
    private static async Task CopyAsync<T>(
        NpgsqlConnection connection, string table, string columnList, IReadOnlyList<(string Name, DbType Type)> columns,
        IReadOnlyList<T> rows, Func<T, object?[]> values, CancellationToken cancellationToken)
    {
        var types = columns.Select(c => ElementType(c.Type)).ToArray();
        await using var import = await connection.BeginBinaryImportAsync($"COPY {table} ({columnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            var rowValues = values(row);
            await import.StartRowAsync(cancellationToken);
            for (var column = 0; column < types.Length; column++)
            {
                if (rowValues[column] is { } value)
                {
                    await import.WriteAsync(value, types[column], cancellationToken);
                }
                else
                {
                    await import.WriteNullAsync(cancellationToken);
                }
            }
        }
        await import.CompleteAsync(cancellationToken);
    }

    private static Array Array(DbType type, int length) => type switch
    {
        DbType.String => new string?[length],
        DbType.Int32 => new int?[length],
        DbType.Int64 => new long?[length],
        DbType.Date => new DateOnly?[length],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a column type of a set-based insert."),
    };

    private static NpgsqlDbType ElementType(DbType type) => type switch
    {
        DbType.String => NpgsqlDbType.Text,
        DbType.Int32 => NpgsqlDbType.Integer,
        DbType.Int64 => NpgsqlDbType.Bigint,
        _ => NpgsqlDbType.Date,
    };

    private static async Task ExecuteAsync(DbCommand command, List<string> returned, string suffix, CancellationToken cancellationToken)
    {
        if (suffix.Length == 0)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            returned.Add(reader.GetString(0));
        }
    }
}
