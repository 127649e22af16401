using Microsoft.EntityFrameworkCore;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>SIGTERM stops the host gracefully: a call already in flight finishes, and what it wrote stays.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task A_call_in_flight_when_SIGTERM_arrives_completes_and_its_write_survives()
    {
        using var database = TestDatabase.Create();
        var options = new HostProcessOptions { Database = database };
        // A slow password hash keeps SignUp busy for a second or more: long enough to signal in the middle of it.
        options.Settings["Guance:Security:PasswordHashIterations"] = "2000000";
        // The host logs when each request starts and finishes, so the test knows the call is in flight.
        options.Settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        await using var host = await HostProcess.StartAsync(options);
        const string email = "late.night@example.com";

        var signUp = host.Api().Identity.SignUpAsync(new SignUpRequest { Email = email, Password = "correct horse battery", DisplayName = "Late" });
        await host.WaitForOutputAsync(l => l.Contains("Request starting") && l.Contains("IdentityService/SignUp"), TimeSpan.FromSeconds(30));
        host.Signal(HostProcess.Sigterm);

        var response = await signUp.ResponseAsync;
        Assert.Equal(email, response.User.Email);
        Assert.Equal(0, await host.StopAsync());

        // The host began shutting down before the call finished: it waited for it.
        var lines = host.OutputLines.ToList();
        var shuttingDown = lines.FindIndex(l => l.Contains("Application is shutting down"));
        var finished = lines.FindIndex(l => l.Contains("Request finished") && l.Contains("IdentityService/SignUp"));
        Assert.True(shuttingDown >= 0 && finished > shuttingDown, $"Expected the shutdown to begin before SignUp finished.\n{host.Output}");

        // What it wrote is in the database (read directly: the restart tests cover reading it back through the host).
        await using var db = database.NewContext();
        Assert.Equal(response.User.UserId, await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
    }
}
