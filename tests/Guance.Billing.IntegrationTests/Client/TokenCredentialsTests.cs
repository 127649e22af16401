using Grpc.Core;
using Guance.Billing.Client;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Client;

public sealed class TokenCredentialsTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task The_token_goes_as_bearer_call_credentials_over_plaintext_http2()
    {
        var user = await host.SignUpAsync("creds");
        var (client, wire) = host.BillingClient(user.Token);
        using var _ = client;

        var me = await client.Identity.GetCurrentUserAsync(new GetCurrentUserRequest());

        Assert.Equal(user.Id, me.User.UserId);
        Assert.Equal("Bearer " + user.Token, wire.AttemptsOf("IdentityService/GetCurrentUser").Single().Header("authorization"));
    }

    [Fact]
    public async Task Every_service_client_calls_with_the_token()
    {
        var user = await host.SignUpAsync("every");
        var (client, wire) = host.BillingClient(user.Token);
        using var _ = client;

        await client.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest { Name = "Creds", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite });
        var listed = await client.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest());

        Assert.Equal("Creds", Assert.Single(listed.Workspaces).Name);
        Assert.All(wire.Requests, r => Assert.Equal("Bearer " + user.Token, r.Header("authorization")));
    }

    [Fact]
    public async Task Without_a_token_calls_are_anonymous()
    {
        var (client, wire) = host.BillingClient(token: null);
        using var _ = client;

        var sites = await client.Workspaces.ListSitesAsync(new ListSitesRequest());
        var error = await Assert.ThrowsAsync<RpcException>(() => client.Identity.GetCurrentUserAsync(new GetCurrentUserRequest()).ResponseAsync);

        Assert.NotEmpty(sites.Sites);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("TOKEN_MISSING", error.GetReason());
        Assert.All(wire.Requests, r => Assert.Null(r.Header("authorization")));
    }

    [Fact]
    public async Task A_wrong_token_is_refused()
    {
        var (client, _) = host.BillingClient("gcu_not_a_real_token");
        using var __ = client;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Identity.GetCurrentUserAsync(new GetCurrentUserRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1:50051", "http://127.0.0.1:50051/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("[::1]:50051", "http://[::1]:50051/")]
    [InlineData("billing.example.com", "https://billing.example.com/")]
    [InlineData("billing.example.com:8443", "https://billing.example.com:8443/")]
    [InlineData("http://10.0.0.5:50051", "http://10.0.0.5:50051/")]
    [InlineData("https://127.0.0.1:50051", "https://127.0.0.1:50051/")]
    public void An_address_without_scheme_is_plaintext_only_on_loopback(string typed, string expected)
    {
        Assert.Equal(new Uri(expected), GuanceAddress.Parse(typed));
    }

    [Theory]
    [InlineData("ftp://billing.example.com")]
    [InlineData("billing.example.com/path")]
    [InlineData("not an address")]
    public void A_malformed_address_is_refused(string typed)
    {
        Assert.Throws<FormatException>(() => GuanceAddress.Parse(typed));
    }
}
