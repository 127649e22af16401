using System.Text.Json;
using System.Text.Json.Serialization;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// What <c>login</c> remembers: the server, the token and who it belongs to; and, kept apart, the
/// billing-center session of <c>billing login</c>. Both may be saved at once: console commands use
/// <see cref="Token"/>, billing and wallet commands <see cref="BillingCenter"/> when there is one.
/// </summary>
public sealed record CliConfig
{
    [JsonPropertyName("server")]
    public string? Server { get; init; }

    [JsonPropertyName("token")]
    public string? Token { get; init; }

    /// <summary>The id of the token that <c>login</c> created, so that <c>logout</c> can revoke it.</summary>
    [JsonPropertyName("api_token_id")]
    public string? ApiTokenId { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    /// <summary>The billing-center session that <c>billing login</c> saved; billing and wallet commands call with it.</summary>
    [JsonPropertyName("billing_center")]
    public BillingCenterLogin? BillingCenter { get; init; }
}

/// <summary>
/// What <c>billing login</c> remembers, beside the console login: the session token (gcb_...), the
/// account it belongs to (the default of --account) and when it stops working.
/// </summary>
public sealed record BillingCenterLogin
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("session_id")]
    public string? SessionId { get; init; }

    [JsonPropertyName("billing_account_id")]
    public string? BillingAccountId { get; init; }

    [JsonPropertyName("username")]
    public string? Username { get; init; }

    [JsonPropertyName("expire_time")]
    public DateTimeOffset? ExpireTime { get; init; }
}

/// <summary>
/// The configuration file: <c>--config</c>, else <c>GUANCE_CONFIG</c>, else
/// <c>$XDG_CONFIG_HOME/guance-billing/config.json</c> (<c>~/.config/...</c>). Written readable by
/// its owner only, since it holds a token.
/// </summary>
public sealed class ConfigFile(string path)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string Path => path;

    public static string DefaultPath(Func<string, string?> environment)
    {
        if (environment("GUANCE_CONFIG") is { Length: > 0 } configured)
        {
            return configured;
        }
        var configHome = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return System.IO.Path.Combine(configHome, "guance-billing", "config.json");
    }

    public CliConfig Read()
    {
        if (!File.Exists(path))
        {
            return new CliConfig();
        }
        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(path), Json) ?? new CliConfig();
        }
        catch (JsonException e)
        {
            throw new IOException($"The configuration file {path} is not valid JSON ({e.Message}); fix or delete it.");
        }
    }

    public void Write(CliConfig config)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(config, Json));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
