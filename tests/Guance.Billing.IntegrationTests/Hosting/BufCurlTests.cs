using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// The host as a process on a loopback port, driven by <c>buf curl</c> through server reflection
/// only (no proto files), as a person debugging it would: the README's walkthrough, step by step.
/// </summary>
public sealed class BufCurlTests
{
    [Fact]
    public async Task Reflection_lists_the_services_and_buf_curl_walks_through_the_readme()
    {
        await using var host = await HostProcess.StartAsync();
        var url = host.Address.ToString().TrimEnd('/');

        var services = (await BufCurl.RunAsync(["--list-services", url])).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Superset(
            new HashSet<string>
            {
                "guance.billing.v1.IdentityService", "guance.billing.v1.WorkspaceService", "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
            },
            services.ToHashSet());
        // The command of the README, and every RPC of the contract is there.
        var methods = (await BufCurl.RunAsync(["--list-methods", url])).Stdout;
        foreach (var method in IdentityService.Descriptor.Methods.Concat(WorkspaceService.Descriptor.Methods))
        {
            Assert.Contains($"{method.Service.FullName}/{method.Name}", methods);
        }

        // Health and ListSites need no token.
        Assert.Equal("SERVING", (await BufCurl.CallAsync(host.Address, "grpc.health.v1.Health/Check")).Json().GetProperty("status").GetString());
        var sites = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.WorkspaceService/ListSites")).Json().GetProperty("sites");
        Assert.Equal("cn1", sites[0].GetProperty("code").GetString());

        // Sign up: the response carries the token, shown once.
        var ann = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.IdentityService/SignUp",
            """{"email":"ann@example.com","password":"correct horse battery","display_name":"Ann"}""")).Json();
        var token = ann.GetProperty("token").GetString()!;
        Assert.StartsWith("gcu_", token);
        await BufCurl.CallAsync(host.Address, "guance.billing.v1.IdentityService/SignUp",
            """{"email":"bob@example.com","password":"correct horse battery","display_name":"Bob"}""");

        // Create a workspace; the caller becomes its Owner.
        var workspace = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.WorkspaceService/CreateWorkspace",
            """{"name":"Production","site_code":"cn1","activation_channel":"ACTIVATION_CHANNEL_OFFICIAL_WEBSITE"}""", token)).Json().GetProperty("workspace");
        var ws = workspace.GetProperty("workspaceId").GetString()!;
        Assert.Equal("PLAN_EXPERIENCE", workspace.GetProperty("plan").GetString());
        Assert.Equal("WORKSPACE_ROLE_OWNER", workspace.GetProperty("callerRole").GetString());

        // Add a colleague, then create a collector token.
        var member = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.WorkspaceService/AddMember",
            $$"""{"workspace_id":"{{ws}}","email":"bob@example.com","role":"WORKSPACE_ROLE_STANDARD"}""", token)).Json().GetProperty("member");
        Assert.Equal(("bob@example.com", "WORKSPACE_ROLE_STANDARD"), (member.GetProperty("email").GetString(), member.GetProperty("role").GetString()));
        var collector = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.WorkspaceService/CreateCollectorToken",
            $$"""{"workspace_id":"{{ws}}","display_name":"prod hosts"}""", token)).Json();
        Assert.StartsWith("gct_", collector.GetProperty("token").GetString());

        // A mistake says which field, in the message that buf curl prints.
        var error = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.WorkspaceService/CreateWorkspace",
            """{"name":"Staging","site_code":"mars","activation_channel":"ACTIVATION_CHANNEL_OFFICIAL_WEBSITE"}""", token)).Error();
        Assert.Equal("invalid_argument", error.GetProperty("code").GetString());
        Assert.Contains("site_code", error.GetProperty("message").GetString());
        Assert.Contains(error.GetProperty("details").EnumerateArray(), d => d.GetProperty("type").GetString() == "google.rpc.BadRequest");
    }
}
