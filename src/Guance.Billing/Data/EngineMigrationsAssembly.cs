using System.Reflection;
using Guance.Billing.Common;
using Guance.Billing.Data.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.Data;

/// <summary>
/// The migrations of the context's engine (docs/operations.md#migrations): first the hand-written
/// ones in <c>Data/Migrations</c> (M0001-M0006), which serve both engines, then those that
/// <c>dotnet ef</c> generated into that engine's folder (<c>Data/Migrations/Sqlite</c> or
/// <c>Data/Migrations/Postgres</c>), with the folder's model snapshot. A migration belongs to the
/// folder of its namespace. EF's own scan of the assembly would mix both folders and take either snapshot.
/// </summary>
public sealed class EngineMigrationsAssembly : IMigrationsAssembly
{
    /// <summary>The namespace of the hand-written migrations that both engines apply.</summary>
    public static readonly string SharedNamespace = typeof(M0001_Foundation).Namespace!;

    private readonly Type _contextType;
    private readonly IMigrationsIdGenerator _ids;
    private readonly Lazy<IReadOnlyDictionary<string, TypeInfo>> _migrations;
    private readonly Lazy<ModelSnapshot?> _modelSnapshot;

    public EngineMigrationsAssembly(ICurrentDbContext currentContext, IMigrationsIdGenerator ids)
    {
        _contextType = currentContext.Context.GetType();
        _ids = ids;
        var engine = currentContext.Context.Database.IsNpgsql() ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        var engineNamespace = EngineNamespace(engine);
        _migrations = new(() => new SortedList<string, TypeInfo>(
            MigrationsOf(Assembly, _contextType)
                .Where(m => m.Type.Namespace == SharedNamespace || m.Type.Namespace == engineNamespace)
                .ToDictionary(m => m.Id, m => m.Type),
            StringComparer.Ordinal));
        _modelSnapshot = new(() => Assembly.DefinedTypes
            .Where(t => t.IsSubclassOf(typeof(ModelSnapshot)) && t.Namespace == engineNamespace && ContextOf(t) == _contextType)
            .Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!)
            .SingleOrDefault());
    }

    /// <summary>The namespace (and so the folder under <c>Data/Migrations</c>) of one engine's generated migrations.</summary>
    public static string EngineNamespace(DatabaseProvider engine) => $"{SharedNamespace}.{engine}";

    /// <summary>Every migration of the context in the assembly, of both engines, with its id.</summary>
    public static IEnumerable<(string Id, TypeInfo Type)> MigrationsOf(Assembly assembly, Type contextType) =>
        assembly.DefinedTypes
            .Where(t => t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract && ContextOf(t) == contextType)
            .Select(t => (t.GetCustomAttribute<MigrationAttribute>()?.Id!, t))
            .Where(m => m.Item1 is not null);

    public Assembly Assembly => _contextType.Assembly;

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations.Value;

    public ModelSnapshot? ModelSnapshot => _modelSnapshot.Value;

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.FirstOrDefault(_ids.IsValidId(nameOrId)
            ? id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
            : id => string.Equals(_ids.GetName(id), nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    private static Type? ContextOf(TypeInfo type) => type.GetCustomAttribute<DbContextAttribute>()?.ContextType;
}
