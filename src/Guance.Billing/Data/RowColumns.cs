using System.Data.Common;

namespace Guance.Billing.Data;

/// <summary>
/// The current row's columns by position, whether ADO.NET's reader or SQLite's own statement
/// (<see cref="SqliteRows"/>) holds it: one mapping of a row serves both.
/// </summary>
internal interface IRowColumns
{
    bool IsNull(int column);

    int Int32(int column);

    long Int64(int column);

    string Text(int column);
}

/// <summary>An ADO.NET reader's current row as <see cref="IRowColumns"/>.</summary>
internal readonly struct ReaderColumns(DbDataReader reader) : IRowColumns
{
    public bool IsNull(int column) => reader.IsDBNull(column);

    public int Int32(int column) => reader.GetInt32(column);

    public long Int64(int column) => reader.GetInt64(column);

    public string Text(int column) => reader.GetString(column);
}
