using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Identity;

public sealed class IdentityServiceTests(BillingHost host) : IClassFixture<BillingHost>
{
    private IdentityService.IdentityServiceClient Anonymous => host.Api().Identity;

    [Fact]
    public async Task SignUp_returns_the_user_and_a_working_token()
    {
        var email = $"Ann.{Guid.NewGuid():N}@Example.com";
        var now = host.Clock.GetUtcNow();
        var response = await Anonymous.SignUpAsync(new SignUpRequest { Email = email, Password = "password-123", DisplayName = " Ann " });

        Assert.Equal(email.ToLowerInvariant(), response.User.Email);
        Assert.Equal("Ann", response.User.DisplayName);
        Assert.StartsWith("usr_", response.User.UserId);
        Assert.StartsWith("gcu_", response.Token);
        Assert.Equal(now, response.User.CreateTime.ToDateTimeOffset());
        var me = await host.Api(response.Token).Identity.GetCurrentUserAsync(new GetCurrentUserRequest());
        Assert.Equal(response.User, me.User);
    }

    [Fact]
    public async Task SignUp_names_every_invalid_field()
    {
        await RpcAssert.InvalidFields(() => Anonymous.SignUpAsync(new SignUpRequest()), "email", "password", "display_name");
        await RpcAssert.InvalidFields(() => Anonymous.SignUpAsync(new SignUpRequest { Email = "not-an-email", Password = "short", DisplayName = new string('x', 65) }),
            "email", "password", "display_name");
        await RpcAssert.InvalidFields(() => Anonymous.SignUpAsync(new SignUpRequest { Email = "a b@example.com", Password = "long enough", DisplayName = "A" }), "email");
    }

    [Fact]
    public async Task SignUp_refuses_an_email_taken_in_any_case()
    {
        var email = $"taken.{Guid.NewGuid():N}@example.com";
        await Anonymous.SignUpAsync(new SignUpRequest { Email = email, Password = "password-123", DisplayName = "First" });

        var error = await RpcAssert.Fails(StatusCode.AlreadyExists,
            () => Anonymous.SignUpAsync(new SignUpRequest { Email = email.ToUpperInvariant(), Password = "password-456", DisplayName = "Second" }), "EMAIL_TAKEN");
        Assert.NotNull(error.GetRpcStatus()!.GetDetail<ResourceInfo>());
    }

    [Fact]
    public async Task SignIn_gives_an_expiring_token_and_does_not_tell_whether_the_email_exists()
    {
        var user = await host.SignUpAsync("signin");

        var signedIn = await Anonymous.SignInAsync(new SignInRequest { Email = user.Email.ToUpperInvariant(), Password = "correct horse battery" });
        Assert.Equal(user.Id, signedIn.User.UserId);
        Assert.Equal(host.Clock.GetUtcNow().AddDays(7), signedIn.ApiToken.ExpireTime.ToDateTimeOffset());
        await host.Api(signedIn.Token).Identity.GetCurrentUserAsync(new GetCurrentUserRequest());

        var wrongPassword = await RpcAssert.Fails(StatusCode.Unauthenticated,
            () => Anonymous.SignInAsync(new SignInRequest { Email = user.Email, Password = "wrong password" }), "INVALID_CREDENTIALS");
        var unknownEmail = await RpcAssert.Fails(StatusCode.Unauthenticated,
            () => Anonymous.SignInAsync(new SignInRequest { Email = $"nobody.{Guid.NewGuid():N}@example.com", Password = "wrong password" }), "INVALID_CREDENTIALS");
        Assert.Equal(wrongPassword.Status.Detail, unknownEmail.Status.Detail);
    }

    [Fact]
    public async Task SignIn_validates_its_fields()
    {
        await RpcAssert.InvalidFields(() => Anonymous.SignInAsync(new SignInRequest()), "email", "password");
    }

    [Fact]
    public async Task Repeated_failed_sign_ins_are_throttled_with_a_retry_delay_then_released()
    {
        var user = await host.SignUpAsync("throttled");
        for (int i = 0; i < 5; i++)
        {
            await RpcAssert.Fails(StatusCode.Unauthenticated,
                () => Anonymous.SignInAsync(new SignInRequest { Email = user.Email, Password = "wrong password" }), "INVALID_CREDENTIALS");
        }

        // Even the right password waits now.
        var throttled = await RpcAssert.Fails(StatusCode.ResourceExhausted,
            () => Anonymous.SignInAsync(new SignInRequest { Email = user.Email, Password = "correct horse battery" }), "SIGN_IN_THROTTLED");
        var retry = throttled.GetRpcStatus()!.GetDetail<RetryInfo>();
        Assert.Equal(TimeSpan.FromMinutes(15), retry.RetryDelay.ToTimeSpan());

        // Another address is not affected.
        var other = await host.SignUpAsync("other");
        await Anonymous.SignInAsync(new SignInRequest { Email = other.Email, Password = "correct horse battery" });

        host.Clock.Advance(TimeSpan.FromMinutes(16));
        await Anonymous.SignInAsync(new SignInRequest { Email = user.Email, Password = "correct horse battery" });
    }

    [Fact]
    public async Task Concurrent_failed_sign_ins_all_count()
    {
        var user = await host.SignUpAsync("racing");
        var attempts = Enumerable.Range(0, 5).Select(_ => RpcAssert.Fails(StatusCode.Unauthenticated,
            () => Anonymous.SignInAsync(new SignInRequest { Email = user.Email, Password = "wrong password" })));
        await Task.WhenAll(attempts);

        await RpcAssert.Fails(StatusCode.ResourceExhausted,
            () => Anonymous.SignInAsync(new SignInRequest { Email = user.Email, Password = "correct horse battery" }), "SIGN_IN_THROTTLED");
    }

    [Fact]
    public async Task Unknown_emails_are_throttled_too()
    {
        var email = $"ghost.{Guid.NewGuid():N}@example.com";
        for (int i = 0; i < 5; i++)
        {
            await RpcAssert.Fails(StatusCode.Unauthenticated, () => Anonymous.SignInAsync(new SignInRequest { Email = email, Password = "whatever1" }));
        }
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => Anonymous.SignInAsync(new SignInRequest { Email = email, Password = "whatever1" }), "SIGN_IN_THROTTLED");
    }

    [Fact]
    public async Task GetCurrentUser_needs_a_working_user_token()
    {
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => Anonymous.GetCurrentUserAsync(new GetCurrentUserRequest()), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api("gcu_not-a-token").Identity.GetCurrentUserAsync(new GetCurrentUserRequest()), "TOKEN_INVALID");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => host.Operator.Identity.GetCurrentUserAsync(new GetCurrentUserRequest()), "CONSOLE_USER_REQUIRED");

        // A token whose secret is wrong is refused even though its id exists.
        var user = await host.SignUpAsync("forged");
        var forged = user.Token[..^4] + (user.Token.EndsWith("aaaa", StringComparison.Ordinal) ? "bbbb" : "aaaa");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api(forged).Identity.GetCurrentUserAsync(new GetCurrentUserRequest()), "TOKEN_INVALID");
    }

    [Fact]
    public async Task A_malformed_authorization_header_is_refused()
    {
        var client = new IdentityService.IdentityServiceClient(host.Api().Invoker);
        var headers = new Metadata { { "authorization", "Basic dXNlcjpwYXNz" } };
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => client.GetCurrentUserAsync(new GetCurrentUserRequest(), headers), "TOKEN_MALFORMED");
    }

    [Fact]
    public async Task ApiTokens_are_created_listed_newest_first_and_revoked_at_once()
    {
        var user = await host.SignUpAsync("tokens");
        var ci = await user.Api.Identity.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = "ci" });
        var deploy = await user.Api.Identity.CreateApiTokenAsync(new CreateApiTokenRequest
        {
            DisplayName = "deploy",
            ExpireTime = Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow().AddDays(1)),
        });

        var listed = await user.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest());
        Assert.Equal(["deploy", "ci", "default"], listed.ApiTokens.Select(t => t.DisplayName));
        Assert.Equal("", listed.NextPageToken);

        var ciApi = host.Api(ci.Token);
        await ciApi.Identity.GetCurrentUserAsync(new GetCurrentUserRequest());
        var revoked = await user.Api.Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = ci.ApiToken.ApiTokenId });
        Assert.NotNull(revoked.ApiToken.RevokeTime);
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => ciApi.Identity.GetCurrentUserAsync(new GetCurrentUserRequest()), "TOKEN_REVOKED");

        // An expiring token stops at its time.
        var deployApi = host.Api(deploy.Token);
        await deployApi.Identity.GetCurrentUserAsync(new GetCurrentUserRequest());
        host.Clock.Advance(TimeSpan.FromDays(1));
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => deployApi.Identity.GetCurrentUserAsync(new GetCurrentUserRequest()), "TOKEN_EXPIRED");
    }

    [Fact]
    public async Task ListApiTokens_pages_with_opaque_tokens()
    {
        var user = await host.SignUpAsync("pages");
        for (int i = 0; i < 4; i++)
        {
            await user.Api.Identity.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = $"t{i}" });
        }
        var names = new List<string>();
        var pageToken = "";
        int pages = 0;
        do
        {
            var page = await user.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest { PageSize = 2, PageToken = pageToken });
            Assert.True(page.ApiTokens.Count <= 2);
            names.AddRange(page.ApiTokens.Select(t => t.DisplayName));
            pageToken = page.NextPageToken;
            pages++;
        }
        while (pageToken != "");
        Assert.Equal(["t3", "t2", "t1", "t0", "default"], names);
        Assert.Equal(3, pages);

        await RpcAssert.InvalidFields(() => user.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest { PageSize = -1 }), "page_size");
        await RpcAssert.InvalidFields(() => user.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest { PageSize = 1001 }), "page_size");
        await RpcAssert.InvalidFields(() => user.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest { PageToken = "garbage" }), "page_token");
    }

    [Fact]
    public async Task CreateApiToken_validates_name_and_expiry()
    {
        var user = await host.SignUpAsync("badtokens");
        await RpcAssert.InvalidFields(() => user.Api.Identity.CreateApiTokenAsync(new CreateApiTokenRequest
        {
            DisplayName = "",
            ExpireTime = Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow().AddMinutes(-1)),
        }), "display_name", "expire_time");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => Anonymous.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = "x" }));
    }

    [Fact]
    public async Task RevokeApiToken_cannot_reach_another_users_token()
    {
        var alice = await host.SignUpAsync("alice");
        var bob = await host.SignUpAsync("bob");
        var bobs = await bob.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest());

        await RpcAssert.NotFound(() => alice.Api.Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = bobs.ApiTokens[0].ApiTokenId }));
        await RpcAssert.InvalidFields(() => alice.Api.Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = "nope" }), "api_token_id");
        await bob.Api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest());
    }
}
