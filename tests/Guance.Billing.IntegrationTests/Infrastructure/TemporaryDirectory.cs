namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>A fresh directory under the system's temporary directory, deleted on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string purpose = "host")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "guance-billing-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public override string ToString() => Path;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
