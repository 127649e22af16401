using Bunit;
using Grpc.Core;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Pages;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The token lives in session storage only; sign-out revokes it; an expired one returns to sign-in with a message.</summary>
public sealed class SessionTests : ConsoleContext
{
    [Fact]
    public void Signing_in_keeps_the_token_in_session_storage_and_out_of_the_address()
    {
        Host.On<SignInRequest, SignInResponse>("IdentityService/SignIn", _ => new SignInResponse
        {
            Token = "gcu_secret_value",
            ApiToken = new ApiToken { ApiTokenId = "tok_9" },
            User = new User { UserId = "usr_1", Email = "ann@example.com", DisplayName = "Ann" },
        });
        var page = Render<SignIn>();

        page.Find("input[type=email]").Change("ann@example.com");
        page.Find("input[type=password]").Change("correct horse battery");
        page.Find("form").Submit();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal("gcu_secret_value", Session.Token));
        Assert.Contains(Store.Items.Values, v => v.Contains("gcu_secret_value", StringComparison.Ordinal));
        Assert.DoesNotContain("gcu_secret_value", navigation.Uri);
    }

    [Fact]
    public void Signing_up_works_with_a_sign_in_token_and_revokes_the_accounts_unseen_first_token()
    {
        Host.On<SignUpRequest, SignUpResponse>("IdentityService/SignUp", _ => new SignUpResponse { Token = "gcu_first", ApiToken = new ApiToken { ApiTokenId = "tok_first" } })
            .On<SignInRequest, SignInResponse>("IdentityService/SignIn", _ => new SignInResponse
            {
                Token = "gcu_session",
                ApiToken = new ApiToken { ApiTokenId = "tok_session" },
                User = new User { UserId = "usr_1", Email = "ann@example.com", DisplayName = "Ann" },
            })
            .On<RevokeApiTokenRequest, RevokeApiTokenResponse>("IdentityService/RevokeApiToken", _ => new RevokeApiTokenResponse());
        var page = Render<SignUp>();

        page.Find("input[type=email]").Change("ann@example.com");
        page.FindAll("input")[1].Change("Ann");
        page.Find("input[type=password]").Change("correct horse battery");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.EndsWith("/workspaces/new", Services.GetRequiredService<NavigationManager>().Uri));
        Assert.Equal("gcu_session", Session.Token);
        var revoke = Assert.Single(Host.Calls, c => c.Method == "IdentityService/RevokeApiToken");
        Assert.Equal(("tok_first", "gcu_session"), (((RevokeApiTokenRequest)revoke.Request).ApiTokenId, revoke.Token));
    }

    [Fact]
    public async Task A_token_the_host_no_longer_accepts_returns_the_person_to_sign_in_with_a_message()
    {
        await SignInAsync();
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace",
            _ => throw FakeHost.Failure(StatusCode.Unauthenticated, "TOKEN_EXPIRED", "The token has expired."));

        Render<BillingOverviewPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        var navigation = Services.GetRequiredService<NavigationManager>();
        Assert.EndsWith("/signin", navigation.Uri);
        Assert.Null(Session.User);
        Assert.Empty(Store.Items);
        var signIn = Render<SignIn>();
        Assert.Contains(ConsoleApi.ExpiredMessage, signIn.Find("[data-testid=sign-in-message]").TextContent);
    }

    [Fact]
    public async Task Signing_out_revokes_the_token_on_the_host_then_forgets_it()
    {
        await SignInAsync();
        Host.On<RevokeApiTokenRequest, RevokeApiTokenResponse>("IdentityService/RevokeApiToken", _ => new RevokeApiTokenResponse());

        await Services.GetRequiredService<ConsoleApi>().SignOutAsync();

        var revoke = Assert.Single(Host.Calls, c => c.Method == "IdentityService/RevokeApiToken");
        Assert.Equal(("tok_1", Token), (((RevokeApiTokenRequest)revoke.Request).ApiTokenId, revoke.Token));
        Assert.Null(Session.User);
        Assert.Empty(Store.Items);
    }

    [Fact]
    public async Task A_host_that_cannot_be_reached_keeps_the_person_signed_in_and_says_so_in_words()
    {
        await SignInAsync();
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace",
            _ => throw FakeHost.Failure(StatusCode.Unavailable, "DATABASE_UNAVAILABLE", "The database cannot be reached."));

        var page = Render<BillingOverviewPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Contains("cannot be reached right now", page.WaitForElement("[data-testid=error]").TextContent);
        Assert.DoesNotContain("DATABASE_UNAVAILABLE", page.Markup);
        Assert.NotNull(Session.User);
    }

    [Fact]
    public async Task A_host_that_has_stopped_is_said_in_words_not_in_the_browsers_exception_text()
    {
        await SignInAsync();
        // What Grpc.Net.Client.Web raises in the browser when the fetch itself fails: INTERNAL, no ErrorInfo.
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace",
            _ => throw new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call. HttpRequestException: TypeError: Failed to fetch JSException: TypeError: Failed to fetch")));

        var page = Render<BillingOverviewPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Contains("cannot be reached right now", page.WaitForElement("[data-testid=error]").TextContent);
        Assert.DoesNotContain("Failed to fetch", page.Markup);
        Assert.NotNull(Session.User);
    }
}
