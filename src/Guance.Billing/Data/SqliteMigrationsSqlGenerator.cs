using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guance.Billing.Data;

/// <summary>
/// SQLite's migration SQL, with the store types of seed rows (<see cref="InsertDataOperation"/>)
/// taken from the CLR types of their values: a migration without a model snapshot has no model to
/// look them up in, and EF refuses the insert without them (the host did not start).
/// </summary>
public sealed class SeedingSqliteMigrationsSqlGenerator(MigrationsSqlGeneratorDependencies dependencies, IRelationalAnnotationProvider annotations)
    : SqliteMigrationsSqlGenerator(dependencies, annotations)
{
    protected override void Generate(InsertDataOperation operation, IModel? model, MigrationCommandListBuilder builder, bool terminate = true)
    {
        if (operation.ColumnTypes is null && model?.GetRelationalModel().FindTable(operation.Table, operation.Schema) is null)
        {
            var types = new string[operation.Columns.Length];
            for (var column = 0; column < types.Length; column++)
            {
                var value = Enumerable.Range(0, operation.Values.GetLength(0)).Select(row => operation.Values[row, column]).FirstOrDefault(v => v is not null)
                    ?? throw new InvalidOperationException($"Seed column {operation.Table}.{operation.Columns[column]} holds only nulls; give the operation its column types.");
                types[column] = Dependencies.TypeMappingSource.GetMapping(value.GetType()).StoreType;
            }
            operation.ColumnTypes = types;
        }
        base.Generate(operation, model, builder, terminate);
    }
}
