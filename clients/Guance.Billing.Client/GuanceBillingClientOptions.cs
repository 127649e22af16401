namespace Guance.Billing.Client;

/// <summary>How a <see cref="GuanceBillingClient"/> reaches the host and calls it.</summary>
public sealed class GuanceBillingClientOptions
{
    /// <summary>The host, for example <c>http://127.0.0.1:50051</c> (plaintext HTTP/2) or <c>https://billing.example.com</c> (TLS).</summary>
    public required Uri Address { get; set; }

    /// <summary>
    /// The bearer token sent with every call (<c>authorization: Bearer &lt;token&gt;</c>): a console
    /// user token (gcu_), a collector token (gct_), a billing-center token (gcb_) or the operator
    /// token. None for anonymous calls (SignUp, SignIn, ListSites).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// The deadline of a unary call that sets none itself; null for none. Streaming calls never get
    /// a default deadline: they are long-lived by design.
    /// </summary>
    public TimeSpan? DefaultDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// gRPC's own retry policy for idempotent reads (the Get* and List* methods of every service),
    /// retried on UNAVAILABLE only; null turns retries off.
    /// </summary>
    public RetryOptions? Retry { get; set; } = new();

    /// <summary>The largest response accepted, in bytes.</summary>
    public int MaxReceiveMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>A handler to send the HTTP/2 requests through (a proxy, a test server); none for the default.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }
}

/// <summary>The retry policy of idempotent reads, as in gRPC's service config.</summary>
public sealed class RetryOptions
{
    /// <summary>Attempts in all, the first one included (gRPC caps this at 5).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The upper bound of the first, randomized, backoff.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The largest backoff.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How much the backoff grows after each attempt.</summary>
    public double BackoffMultiplier { get; set; } = 2;
}
