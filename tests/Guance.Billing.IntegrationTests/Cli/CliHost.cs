using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>One host process on loopback for all CLI tests (a collection fixture); tests make their own users.</summary>
public class CliHost : IAsyncLifetime
{
    private HostProcess? _host;

    public HostProcess Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public string ConfigDirectory { get; } = Path.Combine(Path.GetTempPath(), "guance-billing-tests", "cli-" + Guid.NewGuid().ToString("N"));

    /// <summary>A CLI with a config file of its own, as one person's machine would have.</summary>
    public CliProcess NewCli() => new(Host.Address, Path.Combine(ConfigDirectory, Guid.NewGuid().ToString("N"), "config.json"));

    /// <summary>Signs up a fresh user through the CLI and returns its e-mail and token.</summary>
    public async Task<(string Email, string Token, string UserId)> SignUpAsync(string name)
    {
        var email = $"{name}.{Guid.NewGuid():N}@example.com";
        var result = await NewCli().RunAsync("signup", "--email", email, "--name", name, "--password", "correct horse battery", "--output", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return (email, result.Json.GetProperty("token").GetString()!, result.Json.GetProperty("user").GetProperty("userId").GetString()!);
    }

    public async Task InitializeAsync()
    {
        // Sign-ups and sign-ins are many here; the hash strength is not what these tests are about.
        var options = new HostProcessOptions { Settings = { ["Guance:Security:PasswordHashIterations"] = "1000" } };
        Configure(options);
        _host = await HostProcess.StartAsync(options);
    }

    /// <summary>Settings of a kind of host beyond the common ones.</summary>
    protected virtual void Configure(HostProcessOptions options)
    {
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        try
        {
            Directory.Delete(ConfigDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliHost>
{
    public const string Name = "guance-billing against a host process";
}
