namespace Guance.Billing.Common;

/// <summary>The <c>Guance</c> configuration section.</summary>
public sealed class GuanceOptions
{
    public const string Section = "Guance";

    /// <summary>Where the embedded SQLite database (and other local state) lives.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The operator token of internal tools; generated at start when not configured.</summary>
    public string? OperatorToken { get; set; }

    public DatabaseOptions Database { get; set; } = new();
    public SecurityOptions Security { get; set; } = new();
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Overrides the default SQLite file under the data directory; required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class SecurityOptions
{
    /// <summary>PBKDF2 iterations of password hashes (ASP.NET Core Identity's hasher).</summary>
    public int PasswordHashIterations { get; set; } = 100_000;

    /// <summary>How long a console token from SignIn works.</summary>
    public TimeSpan SignInTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Failed guesses of one network address at one account (a password, an activation code) within
    /// <see cref="SignInFailureWindow"/> before that address waits for that account.
    /// </summary>
    public int SignInFailuresAllowed { get; set; } = 5;

    /// <summary>
    /// Failed guesses of one network address in all (any accounts, and lookups that tell whether an
    /// e-mail address or user name exists) within <see cref="SignInFailureWindow"/> before it waits.
    /// </summary>
    public int GuessesAllowedPerAddress { get; set; } = 30;

    /// <summary>The window in which failures count, and how long a throttled address waits.</summary>
    public TimeSpan SignInFailureWindow { get; set; } = TimeSpan.FromMinutes(15);
}
