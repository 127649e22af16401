using Grpc.Core;
using Guance.Billing.Client;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Client;

public sealed class RetryPolicyTests(BillingHost host) : IClassFixture<BillingHost>
{
    private static readonly RetryOptions FastRetry = new() { MaxAttempts = 4, InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public void The_service_config_names_every_Get_and_List_method_and_no_write()
    {
        var names = IdempotentReads.MethodNames.ToHashSet();

        Assert.Contains("guance.billing.v1.IdentityService/GetCurrentUser", names);
        Assert.Contains("guance.billing.v1.IdentityService/ListApiTokens", names);
        Assert.Contains("guance.billing.v1.WorkspaceService/ListSites", names);
        Assert.Contains("guance.billing.v1.WorkspaceService/GetWorkspace", names);
        Assert.Contains("guance.billing.v1.WorkspaceService/ListWorkspaces", names);
        Assert.Contains("guance.billing.v1.WorkspaceService/ListMembers", names);
        Assert.Contains("guance.billing.v1.WorkspaceService/ListCollectorTokens", names);
        Assert.DoesNotContain("guance.billing.v1.IdentityService/SignUp", names);
        Assert.DoesNotContain("guance.billing.v1.IdentityService/SignIn", names);
        Assert.DoesNotContain("guance.billing.v1.WorkspaceService/CreateWorkspace", names);
        Assert.DoesNotContain("guance.billing.v1.WorkspaceService/UpdateRetention", names);

        var everyRead = IdempotentReads.Services.SelectMany(s => s.Methods)
            .Where(m => m.Name.StartsWith("Get", StringComparison.Ordinal) || m.Name.StartsWith("List", StringComparison.Ordinal))
            .Select(m => $"{m.Service.FullName}/{m.Name}");
        Assert.Equal(everyRead.Order(), names.Order());
        Assert.All(names, n => Assert.Matches(@"^guance\.billing\.v1\.\w+Service/(Get|List)[A-Z]\w*$", n));
    }

    [Fact]
    public void Every_service_of_the_contract_is_covered()
    {
        var services = IdempotentReads.Services.Select(s => s.FullName).ToList();

        Assert.Contains("guance.billing.v1.IdentityService", services);
        Assert.Contains("guance.billing.v1.WorkspaceService", services);
    }

    [Fact]
    public void The_retry_policy_retries_on_UNAVAILABLE_only()
    {
        var config = IdempotentReads.ServiceConfig(new RetryOptions());
        var policy = Assert.Single(config.MethodConfigs).RetryPolicy!;

        Assert.Equal([StatusCode.Unavailable], policy.RetryableStatusCodes);
        Assert.Equal(4, policy.MaxAttempts);
    }

    [Fact]
    public async Task An_idempotent_read_is_retried_after_UNAVAILABLE()
    {
        var user = await host.SignUpAsync("retry");
        var (client, wire) = host.BillingClient(user.Token, o => o.Retry = FastRetry);
        using var _ = client;
        var workspace = (await client.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Retried", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;

        wire.FailNext("WorkspaceService/GetWorkspace", 2);
        var read = await client.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspace.WorkspaceId });

        Assert.Equal(workspace.WorkspaceId, read.Workspace.WorkspaceId);
        var attempts = wire.AttemptsOf("WorkspaceService/GetWorkspace");
        Assert.Equal(3, attempts.Count);
        Assert.Equal([null, "1", "2"], attempts.Select(a => a.Header("grpc-previous-rpc-attempts")));
    }

    [Fact]
    public async Task A_write_is_not_retried()
    {
        var user = await host.SignUpAsync("noretry");
        var (client, wire) = host.BillingClient(user.Token, o => o.Retry = FastRetry);
        using var _ = client;

        wire.FailNext("WorkspaceService/CreateWorkspace", 1);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Once", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Single(wire.AttemptsOf("WorkspaceService/CreateWorkspace"));
    }

    [Fact]
    public async Task Retries_stop_after_the_last_attempt()
    {
        var (client, wire) = host.BillingClient(null, o => o.Retry = FastRetry);
        using var _ = client;

        wire.FailNext("WorkspaceService/ListSites", 10);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.Workspaces.ListSitesAsync(new ListSitesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(4, wire.AttemptsOf("WorkspaceService/ListSites").Count);
    }

    [Fact]
    public async Task Without_a_retry_policy_a_read_fails_at_once()
    {
        var (client, wire) = host.BillingClient(null, o => o.Retry = null);
        using var _ = client;

        wire.FailNext("WorkspaceService/ListSites", 1);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.Workspaces.ListSitesAsync(new ListSitesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Single(wire.AttemptsOf("WorkspaceService/ListSites"));
    }
}
