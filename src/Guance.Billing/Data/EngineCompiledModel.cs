using System.Reflection;
using Guance.Billing.Common;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Guance.Billing.Data;

/// <summary>
/// The EF Core models that <c>dotnet ef dbcontext optimize</c> generated from
/// <see cref="BillingDbContext.OnModelCreating"/>, one per engine in <c>Data/CompiledModels/&lt;Engine&gt;</c>
/// (<c>bash tools/ef-models.sh</c>, docs/operations.md#migrations). Building the model at start cost
/// more than a second of CPU (docs/performance.md, Start-up). Found by name rather than referenced, so
/// that the script can delete a model that no longer compiles and generate it again; without one the
/// context builds its model as before, and <c>CompiledModelTests</c> fails.
/// </summary>
public static class EngineCompiledModel
{
    /// <summary>The namespace (and folder under <c>Data/CompiledModels</c>) of an engine's compiled model.</summary>
    public static string Namespace(DatabaseProvider engine) => $"{typeof(EngineCompiledModel).Namespace}.CompiledModels.{engine}";

    /// <summary>The generated model class's name: the context's name and "Model".</summary>
    public const string ModelClassName = nameof(BillingDbContext) + "Model";

    /// <summary>The engine's compiled model, or null when there is none.</summary>
    public static IModel? For(DatabaseProvider engine) =>
        typeof(BillingDbContext).Assembly.GetType($"{Namespace(engine)}.{ModelClassName}")
            ?.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)
            ?.GetValue(null) as IModel;
}
