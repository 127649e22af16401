using System.Security.Cryptography;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>How <see cref="HostProcess"/> starts the host.</summary>
public sealed class HostProcessOptions
{
    /// <summary>The data directory; null gives a fresh temporary one that the process helper deletes when disposed.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// A test database on this run's engine (SQLite, or PostgreSQL in the second pass); its data
    /// directory and connection settings win over <see cref="DataDirectory"/>. The test disposes it.
    /// </summary>
    public TestDatabase? Database { get; init; }

    /// <summary>Passed as <c>--Guance:OperatorToken</c>; null configures none, so the host generates one.</summary>
    public string? OperatorToken { get; init; } = NewOperatorToken();

    /// <summary>The loopback port; 0 lets the operating system pick a free one.</summary>
    public int Port { get; init; }

    /// <summary>More configuration, passed on the command line as <c>--key=value</c> (it wins over everything else).</summary>
    public Dictionary<string, string> Settings { get; } = new();

    /// <summary>Environment variables of the host; a null value removes one inherited from the test run.</summary>
    public Dictionary<string, string?> Environment { get; } = new();

    /// <summary>How long the host may take to serve (SERVING on gRPC health): generous, because a start on a machine at load 30 and more takes over a minute.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public static string NewOperatorToken() => "gco_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
}
