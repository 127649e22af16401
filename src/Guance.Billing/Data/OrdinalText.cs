using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Guance.Billing.Data;

/// <summary>
/// Text compares and sorts ordinally (by code point) on both engines, as .NET's ordinal comparison
/// does. Keyset pagination orders by ids and compares them with <c>&lt;</c> and <c>&gt;</c>: SQLite's
/// default BINARY collation is ordinal already, but a PostgreSQL database usually has a linguistic
/// default collation (en_US, ICU), which sorts <c>a_b</c> before <c>aB</c> and would make pages skip
/// or repeat rows. So every text column on PostgreSQL gets the <c>C</c> collation: in the model here,
/// and in hand-written migrations through <see cref="PostgresMigrationsSqlGenerator"/>, so that a
/// migration needs no engine-specific code. The schema test compares the collations of both.
/// </summary>
public static class OrdinalText
{
    /// <summary>PostgreSQL's byte-order collation, present in every database.</summary>
    public const string PostgresCollation = "C";

    /// <summary>Gives every text property without an explicit collation the ordinal one, on PostgreSQL.</summary>
    public static void Apply(ModelBuilder modelBuilder, DatabaseFacade database)
    {
        if (!database.IsNpgsql())
        {
            return;
        }
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.ClrType == typeof(string) && property.GetCollation() is null && IsCollatable(property.GetColumnType()))
                {
                    property.SetCollation(PostgresCollation);
                }
            }
        }
    }

    /// <summary>Gives every text column of migration operations without an explicit collation the ordinal one.</summary>
    internal static void Apply(IEnumerable<MigrationOperation> operations)
    {
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case CreateTableOperation table:
                    table.Columns.ForEach(Apply);
                    break;
                case AlterColumnOperation alter:
                    Apply(alter);
                    Apply(alter.OldColumn);
                    break;
                case ColumnOperation column:
                    Apply(column);
                    break;
            }
        }
    }

    private static void Apply(ColumnOperation column)
    {
        if (column.ClrType == typeof(string) && column.Collation is null && IsCollatable(column.ColumnType))
        {
            column.Collation = PostgresCollation;
        }
    }

    /// <summary>Text types take a collation; a string mapped to json, uuid or the like does not.</summary>
    private static bool IsCollatable(string? columnType) =>
        columnType is null
        || columnType.StartsWith("text", StringComparison.OrdinalIgnoreCase)
        || columnType.StartsWith("character", StringComparison.OrdinalIgnoreCase)
        || columnType.StartsWith("varchar", StringComparison.OrdinalIgnoreCase)
        || columnType.StartsWith("char", StringComparison.OrdinalIgnoreCase);
}
