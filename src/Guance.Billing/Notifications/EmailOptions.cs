namespace Guance.Billing.Notifications;

/// <summary>How the SMTP connection is secured.</summary>
public enum EmailTlsMode
{
    /// <summary>Plain SMTP (a relay on the same host or network only).</summary>
    None,

    /// <summary>Plain connect, then STARTTLS, required (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>
/// The <c>Guance:Email</c> section: the SMTP server that notices go out through. Without a
/// <see cref="Host"/> (the default) e-mails are only written to the log, so a fresh host needs nothing.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Guance:Email";

    /// <summary>The SMTP server's name or address; empty: e-mails go to the log only.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public EmailTlsMode Tls { get; set; } = EmailTlsMode.StartTls;

    /// <summary>The user to authenticate as; empty: no authentication.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender's address, also the domain of every Message-ID.</summary>
    public string FromAddress { get; set; } = "billing@guance.invalid";

    public string FromName { get; set; } = "Guance Billing";

    /// <summary>How long one message may take (connect, authenticate, send) before the attempt fails and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}
