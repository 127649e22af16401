using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// A StreamUsage call lasts as long as its agent stays connected, and so does its request scope: a database
/// context resolved there (to authenticate the token, or by the service's constructor) stayed with every idle
/// stream and was most of what a held stream cost (docs/performance.md, "Memory of held streams"). A held,
/// working stream keeps none; the unary calls still get theirs.
/// </summary>
public sealed class UsageStreamMemoryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_held_stream_keeps_no_database_context_and_the_unary_calls_still_work()
    {
        var contexts = new ContextProbe();
        using var host = new BillingHost { ConfigureServices = services => services.AddScoped(provider => contexts.Track(provider)) };
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);

        var (stream, _) = await UsageStream.OpenAsync(collector, "held-1");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.Logs, 5, host.Clock.GetUtcNow()));
            Assert.Equal(1, (await stream.AckAsync()).Sequence);
            Assert.True(contexts.Created > 0);

            // Every context made so far (the set-up's calls, the stream's authentication) is disposed while the stream is held.
            var deadline = DateTime.UtcNow + Patience;
            while (contexts.Undisposed() > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            Assert.Equal(0, contexts.Undisposed());

            // The stream goes on, and the unary calls of the same service resolve their own.
            await stream.SendAsync(2, Record(BillingItem.Logs, 7, host.Clock.GetUtcNow()));
            Assert.Equal(2, (await stream.AckAsync()).Sequence);
            Assert.Equal(12, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
        }
    }

    /// <summary>Makes the host's database contexts and remembers them, to tell which are still alive.</summary>
    private sealed class ContextProbe
    {
        private readonly List<BillingDbContext> _contexts = [];
        private readonly Lock _gate = new();

        public int Created
        {
            get
            {
                lock (_gate)
                {
                    return _contexts.Count;
                }
            }
        }

        public BillingDbContext Track(IServiceProvider provider)
        {
            var context = new BillingDbContext(provider.GetRequiredService<DbContextOptions<BillingDbContext>>());
            lock (_gate)
            {
                _contexts.Add(context);
            }
            return context;
        }

        public int Undisposed()
        {
            lock (_gate)
            {
                return _contexts.Count(IsAlive);
            }
        }

        private static bool IsAlive(BillingDbContext context)
        {
            try
            {
                _ = context.ChangeTracker;
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
