using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Guance.Billing.Data;

/// <summary>
/// A statement prepared once on an open SQLite connection and run many times through SQLite's own API,
/// for the usage writer's statements, which run for every row of every batch. Microsoft.Data.Sqlite makes,
/// at each run, a binder and a boxed value for each parameter, a UTF-8 copy of each string and a data
/// reader: about two thirds of what the host allocated under a fleet of agents, and every gen0 collection pauses
/// all streams (docs/performance.md). A run here allocates nothing. The statement runs in whatever
/// transaction the connection is in, and binds values as Microsoft.Data.Sqlite does (a <see cref="DateOnly"/>
/// as <c>yyyy-MM-dd</c> text), so what it writes and compares is what EF Core and ADO.NET write and read.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly string[] _parameters;

    public SqliteStatement(DbConnection connection, string sql)
    {
        _database = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_database, sql, out _statement));
        _parameters = new string[raw.sqlite3_bind_parameter_count(_statement)];
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = raw.sqlite3_bind_parameter_name(_statement, i + 1).utf8_to_string();
        }
    }

    public SqliteStatement Bind(string name, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, Index(name), value));
        return this;
    }

    public SqliteStatement Bind(string name, string value)
    {
        Check(raw.sqlite3_bind_text16(_statement, Index(name), value.AsSpan()));
        return this;
    }

    public SqliteStatement Bind(string name, DateOnly value)
    {
        Span<char> text = stackalloc char[10];
        value.TryFormat(text, out var length, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Check(raw.sqlite3_bind_text16(_statement, Index(name), text[..length]));
        return this;
    }

    /// <summary>Runs a statement that returns no rows, and gives the number of rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            Check(result);
            if (result != raw.SQLITE_DONE)
            {
                throw new InvalidOperationException("The statement returned rows; read them with Query.");
            }
            return raw.sqlite3_changes(_database);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs a query; its rows are read one by one, and disposing of them makes the statement ready to run again.</summary>
    public SqliteRows Query() => new(this);

    public void Dispose() => raw.sqlite3_finalize(_statement);

    internal bool Step()
    {
        var result = raw.sqlite3_step(_statement);
        Check(result);
        return result == raw.SQLITE_ROW;
    }

    internal void Reset() => raw.sqlite3_reset(_statement);

    internal bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    internal int Int32(int column) => raw.sqlite3_column_int(_statement, column);

    internal long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    internal string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    // A linear search: the statements have at most eight parameters, and the names are the caller's constants.
    private int Index(string name)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (string.Equals(_parameters[i], name, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }
        throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
    }

    private void Check(int result) => SqliteException.ThrowExceptionForRC(result, _database);
}

/// <summary>The rows of a <see cref="SqliteStatement.Query"/>, read forward; columns are numbered from 0.</summary>
internal readonly struct SqliteRows(SqliteStatement statement) : IRowColumns, IDisposable
{
    public bool Next() => statement.Step();

    public bool IsNull(int column) => statement.IsNull(column);

    public int Int32(int column) => statement.Int32(column);

    public long Int64(int column) => statement.Int64(column);

    public string Text(int column) => statement.Text(column);

    public void Dispose() => statement.Reset();
}
