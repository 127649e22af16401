using System.Reflection;
using System.Text.RegularExpressions;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// The host runs on the compiled models checked in under <c>src/Guance.Billing/Data/CompiledModels</c>
/// (docs/operations.md#migrations), so they must be exactly what <c>dotnet ef dbcontext optimize</c>
/// makes of the model that <c>OnModelCreating</c> builds now: a model change or an EF Core upgrade
/// without <c>bash tools/ef-models.sh</c> fails here. Both engines in every run; no database.
/// </summary>
public sealed partial class CompiledModelTests
{
    public static TheoryData<DatabaseProvider> Engines => new(Enum.GetValues<DatabaseProvider>());

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_checked_in_compiled_model_is_what_the_model_generates(DatabaseProvider engine)
    {
        var folder = Path.Combine(Repository.Root, "src", "Guance.Billing", "Data", "CompiledModels", engine.ToString());
        var output = Path.Combine(Path.GetTempPath(), "guance-billing-tests", "compiled-" + Guid.NewGuid().ToString("N"));
        try
        {
            var generated = Generate(engine, output);

            var checkedIn = Directory.Exists(folder) ? Directory.GetFiles(folder).Select(Path.GetFileName).ToList() : [];
            var differing = generated.Select(Path.GetFileName)
                .Where(name => !checkedIn.Contains(name) || Text(Path.Combine(folder, name!)) != Text(Path.Combine(output, name!)))
                .Concat(checkedIn.Where(name => !generated.Select(Path.GetFileName).Contains(name)))
                .ToList();
            Assert.True(differing.Count == 0,
                $"The {engine} compiled model differs from the model in {string.Join(", ", differing)}: run `bash tools/ef-models.sh` (docs/operations.md#migrations). "
                + FirstDifference(Path.Combine(folder, differing.FirstOrDefault() ?? ""), Path.Combine(output, differing.FirstOrDefault() ?? "")));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_context_of_the_host_runs_on_its_engines_compiled_model(DatabaseProvider engine)
    {
        var builder = new DbContextOptionsBuilder<BillingDbContext>();
        DatabaseSetup.Configure(builder, new GuanceOptions
        {
            Database = new DatabaseOptions { Provider = engine, ConnectionString = engine == DatabaseProvider.Postgres ? "Host=localhost" : "Data Source=unused.db" },
        });
        using var db = new BillingDbContext(builder.Options);

        Assert.Equal(EngineCompiledModel.Namespace(engine), db.Model.GetType().Namespace);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Building_the_model_warns_of_nothing(DatabaseProvider engine)
    {
        var logged = new List<string>();
        var builder = new DbContextOptionsBuilder<BillingDbContext>();
        DatabaseSetup.Configure(builder, new GuanceOptions
        {
            Database = new DatabaseOptions { Provider = engine, ConnectionString = engine == DatabaseProvider.Postgres ? "Host=localhost" : "Data Source=unused.db" },
        }, compiledModel: false);
        builder.LogTo(logged.Add, LogLevel.Warning);
        using var db = new BillingDbContext(builder.Options);

        _ = db.Model;

        Assert.Empty(logged);
    }

    /// <summary>What <c>dotnet ef dbcontext optimize</c> does: the design-time model through the EF and provider design-time services.</summary>
    private static IReadOnlyList<string> Generate(DatabaseProvider engine, string output)
    {
        using var db = new BillingDbContextFactory().CreateDbContext(["--engine", engine.ToString().ToLowerInvariant()]);
        var services = new ServiceCollection().AddEntityFrameworkDesignTimeServices().AddDbContextDesignTimeServices(db);
        var providerAssembly = Assembly.Load(new AssemblyName(db.Database.ProviderName!));
        var providerServices = providerAssembly.GetCustomAttribute<DesignTimeProviderServicesAttribute>()!.TypeName;
        ((IDesignTimeServices)Activator.CreateInstance(providerAssembly.GetType(providerServices, throwOnError: true)!)!).ConfigureDesignTimeServices(services);
        using var provider = services.BuildServiceProvider();

        var files = provider.GetRequiredService<ICompiledModelScaffolder>().ScaffoldModel(
            db.GetService<IDesignTimeModel>().Model,
            output,
            new CompiledModelCodeGenerationOptions
            {
                ContextType = typeof(BillingDbContext),
                ModelNamespace = EngineCompiledModel.Namespace(engine),
                Language = "C#",
                UseNullableReferenceTypes = true,
            });
        // tools/ef-models.sh removes the assembly attribute: DatabaseSetup chooses the engine's model.
        return files.Where(f => !f.EndsWith("AssemblyAttributes.cs", StringComparison.Ordinal)).ToList();
    }

    private static string FirstDifference(string checkedIn, string generated)
    {
        var was = Text(checkedIn).Split('\n');
        var now = Text(generated).Split('\n');
        var line = Enumerable.Range(0, Math.Max(was.Length, now.Length))
            .FirstOrDefault(i => i >= was.Length || i >= now.Length || was[i] != now[i]);
        return $"First at line {line + 1}: checked in `{was.ElementAtOrDefault(line)}`, generated `{now.ElementAtOrDefault(line)}`.";
    }

    /// <summary>A file's text without the model id, which every generation draws anew.</summary>
    private static string Text(string path) =>
        File.Exists(path) ? ModelId().Replace(File.ReadAllText(path).ReplaceLineEndings("\n"), "modelId: new Guid()") : "";

    [GeneratedRegex("""modelId: new Guid\("[0-9a-f-]+"\)""")]
    private static partial Regex ModelId();
}
