using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations;
#pragma warning disable EF1001 // The provider's options interface lives in an Internal namespace; the generator needs it to be built.
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;

namespace Guance.Billing.Data;

/// <summary>
/// Npgsql's migration SQL, with every text column collated ordinally (<see cref="OrdinalText"/>):
/// hand-written migrations declare no store types or collations, so one migration serves both engines.
/// Seed rows (<see cref="InsertDataOperation"/>) get their store types from the CLR types of their
/// values: a migration without a model snapshot has no model to look them up in, and Npgsql needs them.
/// </summary>
public sealed class PostgresMigrationsSqlGenerator(MigrationsSqlGeneratorDependencies dependencies, INpgsqlSingletonOptions npgsqlOptions)
    : NpgsqlMigrationsSqlGenerator(dependencies, npgsqlOptions)
{
    public override IReadOnlyList<MigrationCommand> Generate(
        IReadOnlyList<MigrationOperation> operations, IModel? model = null, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        OrdinalText.Apply(operations);
        return base.Generate(operations, model, options);
    }

    protected override void Generate(InsertDataOperation operation, IModel? model, MigrationCommandListBuilder builder, bool terminate = true)
    {
        if (operation.ColumnTypes is null && model?.GetRelationalModel().FindTable(operation.Table, operation.Schema) is null)
        {
            operation.ColumnTypes = StoreTypes(operation);
        }
        base.Generate(operation, model, builder, terminate);
    }

    /// <summary>Each column's store type, from the first row whose value in it is not null.</summary>
    private string[] StoreTypes(InsertDataOperation operation)
    {
        var types = new string[operation.Columns.Length];
        for (var column = 0; column < types.Length; column++)
        {
            var value = Enumerable.Range(0, operation.Values.GetLength(0)).Select(row => operation.Values[row, column]).FirstOrDefault(v => v is not null)
                ?? throw new InvalidOperationException($"Seed column {operation.Table}.{operation.Columns[column]} holds only nulls; give the operation its column types.");
            types[column] = Dependencies.TypeMappingSource.GetMapping(value.GetType()).StoreType;
        }
        return types;
    }
}
