using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Workspaces;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Identity;

/// <summary>Every IdentityService RPC that acts for a console user refuses every other caller.</summary>
public sealed class IdentityPermissionTests(BillingHost host) : IClassFixture<BillingHost>
{
    public enum Who
    {
        NoToken,
        RevokedToken,
        ExpiredToken,
        Collector,
        Operator,
    }

    private static readonly Dictionary<string, Func<IdentityService.IdentityServiceClient, Task>> Calls = new()
    {
        ["GetCurrentUser"] = c => c.GetCurrentUserAsync(new GetCurrentUserRequest()).ResponseAsync,
        ["CreateApiToken"] = c => c.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = "ci" }).ResponseAsync,
        ["ListApiTokens"] = c => c.ListApiTokensAsync(new ListApiTokensRequest()).ResponseAsync,
        ["RevokeApiToken"] = c => c.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = "tok_" + new string('0', 26) }).ResponseAsync,
    };

    public static TheoryData<string, Who> Matrix
    {
        get
        {
            var data = new TheoryData<string, Who>();
            foreach (var rpc in Calls.Keys)
            {
                foreach (var who in Enum.GetValues<Who>())
                {
                    data.Add(rpc, who);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Only_a_working_console_user_token_is_let_through(string rpc, Who who)
    {
        var user = await host.SignUpAsync("identity");
        var (api, code, reason) = who switch
        {
            Who.NoToken => (host.Api(), StatusCode.Unauthenticated, "TOKEN_MISSING"),
            Who.RevokedToken => (host.Api(await user.RevokedTokenOfAsync()), StatusCode.Unauthenticated, "TOKEN_REVOKED"),
            Who.ExpiredToken => (await ExpiredAsync(user), StatusCode.Unauthenticated, "TOKEN_EXPIRED"),
            Who.Collector => (await CollectorAsync(user), StatusCode.PermissionDenied, "CONSOLE_USER_REQUIRED"),
            Who.Operator => (host.Operator, StatusCode.PermissionDenied, "CONSOLE_USER_REQUIRED"),
            _ => throw new ArgumentOutOfRangeException(nameof(who)),
        };
        var before = await user.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest());

        await RpcAssert.Fails(code, () => Calls[rpc](api.Identity), reason);

        Assert.Equal(before, await user.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest()));
    }

    private async Task<Api> ExpiredAsync(TestUser user)
    {
        var token = await user.Api.Identity.CreateApiTokenAsync(new CreateApiTokenRequest
        {
            DisplayName = "short", ExpireTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow().AddSeconds(1)),
        });
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        return host.Api(token.Token);
    }

    private async Task<Api> CollectorAsync(TestUser user)
    {
        var workspace = (await user.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "agents", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        var token = await user.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.WorkspaceId, DisplayName = "agent" });
        return host.Api(token.Token);
    }
}
