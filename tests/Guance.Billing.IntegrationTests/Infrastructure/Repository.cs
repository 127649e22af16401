using System.Reflection;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>Paths inside the repository that the process tests need: the built host and the buf CLI.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The directory that holds <c>Guance.Grpc.sln</c>.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The configuration these tests were built in (Debug, Release); the host was built in the same.</summary>
    public static string Configuration =>
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The target framework folder of this test assembly, for example <c>net10.0</c>.</summary>
    public static string TargetFramework => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    /// <summary>The host as built by <c>dotnet build</c>, run with <c>dotnet</c>.</summary>
    public static string HostAssembly
    {
        get
        {
            var path = Path.Combine(Root, "src", "Guance.Billing.Host", "bin", Configuration, TargetFramework, "Guance.Billing.Host.dll");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"The host is not built at {path}. Build the solution first: dotnet build Guance.Grpc.sln --configuration {Configuration}");
            }
            return path;
        }
    }

    /// <summary>The buf CLI of the repository's npm packages.</summary>
    public static string Buf
    {
        get
        {
            var path = Path.Combine(Root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "buf.cmd" : "buf");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"buf is not installed at {path}. Run `npm ci` in {Root} first (bash tests/run-all.sh does).");
            }
            return path;
        }
    }

    /// <summary>The <c>dotnet</c> executable that runs these tests, so that the host runs on the same runtime.</summary>
    public static string Dotnet
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }
            var current = Environment.ProcessPath;
            return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Guance.Grpc.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Guance.Grpc.sln above {AppContext.BaseDirectory}.");
    }
}
