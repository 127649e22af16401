using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// The README's "Web console" lines: the console's own calls, gRPC-Web on the browser endpoint,
/// made with <c>buf curl --protocol grpcweb</c>; the same call on the gRPC endpoint is refused.
/// </summary>
public sealed class BufCurlConsoleTests
{
    [Fact]
    public async Task The_console_calls_run_over_grpc_web_on_the_browser_endpoint()
    {
        await using var host = await HostProcess.StartAsync(new HostProcessOptions
        {
            Settings = { ["Guance:Console:Url"] = "http://127.0.0.1:0", ["Guance:Security:PasswordHashIterations"] = "1000" },
        });
        var console = host.ListeningAddresses.Single(a => a != host.Address);
        var token = (await host.Api().Identity.SignUpAsync(new SignUpRequest { Email = "ann@example.com", Password = "correct horse battery", DisplayName = "Ann" })).Token;

        var sites = (await BufCurl.RunAsync(BufCurl.GrpcWebTransport, [$"{console}guance.billing.v1.WorkspaceService/ListSites"])).Json();
        Assert.Contains(sites.GetProperty("sites").EnumerateArray(), s => s.GetProperty("code").GetString() == "cn1");

        var me = (await BufCurl.RunAsync(BufCurl.GrpcWebTransport,
            ["-H", $"authorization: Bearer {token}", $"{console}guance.billing.v1.IdentityService/GetCurrentUser"])).Json();
        Assert.Equal("ann@example.com", me.GetProperty("user").GetProperty("email").GetString());

        // The billing center's sign-in, as its page makes it.
        await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest { Username = "acme", Password = "correct horse battery", Email = "acme@example.com" });
        var billingCenter = (await BufCurl.RunAsync(BufCurl.GrpcWebTransport,
            ["-d", """{"username": "acme", "password": "correct horse battery"}""", $"{console}guance.billing.v1.BillingAccountService/SignInBillingAccount"])).Json();
        Assert.StartsWith("gcb_", billingCenter.GetProperty("token").GetString(), StringComparison.Ordinal);

        // Over h2c, the gRPC endpoint's protocol: only the host's restriction can refuse it.
        var onGrpcPort = await BufCurl.RunAsync(BufCurl.GrpcWebTransport, ["--http2-prior-knowledge", $"{host.Address}guance.billing.v1.WorkspaceService/ListSites"]);
        Assert.NotEqual(0, onGrpcPort.ExitCode);
    }
}
