using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations;
#pragma warning disable EF1001 // The provider's options interface lives in an Internal namespace; the generator needs it to be built.
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;

namespace Guance.Billing.Data;

/// <summary>
/// Npgsql's migration SQL, with every text column collated ordinally (<see cref="OrdinalText"/>):
/// hand-written migrations declare no store types or collations, so one migration serves both engines.
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
}
