using System.Data;
using System.Data.Common;

namespace Guance.Billing.Data;

/// <summary>
/// Plain ADO.NET commands with named parameters (<c>@name</c>) for the statements written by hand,
/// on both engines. A one-off command adds its values with <see cref="With(DbCommand, string, object?)"/>;
/// a command kept and run many times (the usage writer's) declares its parameters once and sets
/// them with <see cref="Set"/> before each run.
/// </summary>
internal static class DbCommandExtensions
{
    /// <summary>A command on the connection, in <paramref name="transaction"/> when one is given.</summary>
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>A command to be run many times, its parameters declared without values.</summary>
    public static DbCommand Reusable(this DbConnection connection, string sql, params string[] parameters)
    {
        var command = connection.Command(sql);
        foreach (var name in parameters)
        {
            command.With(name, null);
        }
        return command;
    }

    /// <summary>Adds a parameter; null is sent as SQL NULL.</summary>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        command.Parameters.Add(Parameter(command, name, value));
        return command;
    }

    /// <summary>Adds a typed parameter (the type matters for nulls on PostgreSQL).</summary>
    public static DbCommand With(this DbCommand command, string name, object? value, DbType type)
    {
        var parameter = Parameter(command, name, value);
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>Sets the value of a parameter declared by <see cref="Reusable"/>.</summary>
    public static DbCommand Set(this DbCommand command, string name, object? value)
    {
        command.Parameters[name].Value = value ?? DBNull.Value;
        return command;
    }

    private static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }
}
