using Google.Protobuf.WellKnownTypes;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Notifications;

/// <summary>
/// The host as a process, stopped and started again on the same database: what was mailed is not
/// mailed again, what waited for a retry goes out after the restart (docs/domain.md §9).
/// </summary>
public sealed class EmailRestartTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task After_a_restart_nothing_is_mailed_twice_and_a_pending_retry_goes_out_once()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        using var database = TestDatabase.Create();
        HostProcessOptions Options(DateTimeOffset clockStart)
        {
            var options = new HostProcessOptions { Database = database };
            foreach (var (key, value) in smtp.HostSettings)
            {
                options.Settings[key] = value;
            }
            options.Settings["Guance:Clock:Mode"] = "Simulated";
            options.Settings["Guance:Clock:Start"] = clockStart.ToString("O");
            return options;
        }

        string sentEmail, retriedEmail;
        await using (var first = await HostProcess.StartAsync(Options(Start)))
        {
            sentEmail = await InArrearsAsync(first);
            await first.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) });
            Assert.Single(smtp.To(sentEmail));

            smtp.Refusing = true;
            retriedEmail = await InArrearsAsync(first);
            await first.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) });
            Assert.Equal(0, await first.StopAsync());
        }
        smtp.Refusing = false;
        Assert.Empty(smtp.To(retriedEmail));

        await using var second = await HostProcess.StartAsync(Options(Start + TimeSpan.FromHours(1)));
        await second.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) });
        Assert.Single(smtp.To(sentEmail));
        Assert.Single(smtp.To(retriedEmail));
    }

    private static async Task<string> InArrearsAsync(HostProcess host)
    {
        var username = $"restart-{Guid.NewGuid():N}"[..24];
        var account = (await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = Password, Email = $"{username}@example.com",
        })).BillingAccount;
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.BillingAccountId, ("logs", 5m)));
        return account.Email;
    }
}
