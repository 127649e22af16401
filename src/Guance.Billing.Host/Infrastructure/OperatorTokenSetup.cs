using Guance.Billing.Common;
using Guance.Billing.Identity;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>The operator token: from configuration, or generated for local use and logged once.</summary>
public static class OperatorTokenSetup
{
    public static IServiceCollection AddOperatorToken(this IServiceCollection services) =>
        services.AddSingleton(provider =>
        {
            var configured = provider.GetRequiredService<IOptions<GuanceOptions>>().Value.OperatorToken;
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return new OperatorToken(configured.Trim(), generated: false);
            }
            var generated = OperatorToken.Generate();
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Guance.Billing.Host.OperatorToken").LogWarning(
                "No Guance:OperatorToken is configured. FOR LOCAL USE ONLY, this run's operator token is: {OperatorToken} " +
                "(it changes at every start; configure Guance__OperatorToken for anything else).", generated);
            return new OperatorToken(generated, generated: true);
        });
}
