using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Guance.Billing.IntegrationTests.Notifications;

/// <summary>
/// A real SMTP server (the SmtpServer library) on a free loopback port, for the e-mail channel's tests:
/// it keeps every message it accepts, parsed by MimeKit, and can be told to refuse (a 5xx answer) or be
/// stopped and started again on the same port (a server that is down).
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private CancellationTokenSource? _running;
    private Task? _server;

    private SmtpTestServer()
    {
    }

    public int Port { get; private set; }

    /// <summary>While true, every message is answered 550 (mailbox unavailable) and not kept.</summary>
    public bool Refusing { get; set; }

    public IReadOnlyList<MimeMessage> Messages => _messages.ToList();

    /// <summary>The settings that point a host at this server (no TLS, no authentication).</summary>
    public IReadOnlyDictionary<string, string> HostSettings => new Dictionary<string, string>
    {
        ["Guance:Email:Host"] = "127.0.0.1",
        ["Guance:Email:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Guance:Email:Tls"] = "None",
        ["Guance:Email:FromAddress"] = "billing@guance.test",
        ["Guance:Email:Timeout"] = "00:00:10",
    };

    public static async Task<SmtpTestServer> StartAsync()
    {
        var server = new SmtpTestServer();
        await server.ListenAsync(0);
        return server;
    }

    /// <summary>The messages sent to <paramref name="address"/>.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        Messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Waits (polling, bounded) until <paramref name="done"/> holds for the messages kept so far.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<IReadOnlyList<MimeMessage>, bool> done, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (!done(Messages))
        {
            await Task.Delay(50, limit.Token);
        }
        return Messages;
    }

    /// <summary>Stops listening: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }
        await _running.CancelAsync();
        try
        {
            await _server!;
        }
        catch (OperationCanceledException)
        {
        }
        _running.Dispose();
        _running = null;
    }

    public Task StartAgainAsync() => ListenAsync(Port);

    private async Task ListenAsync(int port)
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.guance.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(this));
        _running = new CancellationTokenSource();
        _server = new SmtpServer.SmtpServer(options, services).StartAsync(_running.Token);
        Port = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Store(SmtpTestServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (server.Refusing)
            {
                return SmtpResponse.MailboxUnavailable;
            }
            using var stream = new MemoryStream(buffer.ToArray());
            server._messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
