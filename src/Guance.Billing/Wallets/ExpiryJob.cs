using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Wallets;

/// <summary>
/// Runs <see cref="ExpiryService.RunDueExpiriesAsync"/> at start and then every
/// <see cref="WalletOptions.ExpiryInterval"/> of the host's clock. All the work is in that one
/// idempotent method, so a scheduler can call it instead.
/// </summary>
public sealed class ExpiryJob(IServiceScopeFactory scopes, IOptions<WalletOptions> options, TimeProvider clock, ILogger<ExpiryJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ExpiryJobEnabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var run = await scope.ServiceProvider.GetRequiredService<ExpiryService>().RunDueExpiriesAsync(clock.GetUtcNow(), stoppingToken);
                if (run.CardNotices + run.CardsExpired + run.VouchersExpired > 0)
                {
                    logger.LogInformation("Expiry: {Notices} card notices, {Cards} cards and {Vouchers} vouchers expired, {Cleared} cleared",
                        run.CardNotices, run.CardsExpired, run.VouchersExpired, Cny.Format(run.Cleared));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The expiry job failed; it runs again at the next interval");
            }
            try
            {
                await Task.Delay(options.Value.ExpiryInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
