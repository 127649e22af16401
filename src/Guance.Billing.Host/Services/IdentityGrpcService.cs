using Grpc.Core;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.Identity;
using Guance.Billing.Settlement;
using Guance.Billing.V1;

namespace Guance.Billing.Host.Services;

/// <summary>IdentityService: console accounts and API tokens.</summary>
public sealed class IdentityGrpcService(ConsoleAccountService accounts, CommercialRegistration registration) : IdentityService.IdentityServiceBase
{
    public override async Task<RegisterCommercialResponse> RegisterCommercial(RegisterCommercialRequest request, ServerCallContext context)
    {
        var made = await registration.RegisterAsync(context.GetCaller(), request.Email, request.Password, request.Username, request.DisplayName,
            request.SiteCode, request.WorkspaceName, context.CancellationToken);
        return new RegisterCommercialResponse
        {
            User = made.Console.User.ToMessage(),
            ApiToken = made.Console.Token.ToApiToken(),
            Token = made.Console.Bearer,
            BillingAccount = made.Billing.Account.ToMessage(),
            BillingSession = made.Billing.Session.ToSession(),
            BillingToken = made.Billing.Bearer,
            Workspace = made.Workspace.ToMessage(),
        };
    }

    public override async Task<SignUpResponse> SignUp(SignUpRequest request, ServerCallContext context)
    {
        var grant = await accounts.SignUpAsync(context.GetCaller(), request.Email, request.Password, request.DisplayName, context.CancellationToken);
        return new SignUpResponse { User = grant.User.ToMessage(), ApiToken = grant.Token.ToApiToken(), Token = grant.Bearer };
    }

    public override async Task<SignInResponse> SignIn(SignInRequest request, ServerCallContext context)
    {
        var grant = await accounts.SignInAsync(context.GetCaller(), request.Email, request.Password, context.CancellationToken);
        return new SignInResponse { User = grant.User.ToMessage(), ApiToken = grant.Token.ToApiToken(), Token = grant.Bearer };
    }

    public override async Task<GetCurrentUserResponse> GetCurrentUser(GetCurrentUserRequest request, ServerCallContext context)
    {
        var user = await accounts.GetUserAsync(context.GetCaller().RequireUser(), context.CancellationToken);
        return new GetCurrentUserResponse { User = user.ToMessage() };
    }

    public override async Task<CreateApiTokenResponse> CreateApiToken(CreateApiTokenRequest request, ServerCallContext context)
    {
        var (token, bearer) = await accounts.CreateApiTokenAsync(
            context.GetCaller().RequireUser(), request.DisplayName, request.ExpireTime.ToOptionalInstant("expire_time"), context.CancellationToken);
        return new CreateApiTokenResponse { ApiToken = token.ToApiToken(), Token = bearer };
    }

    public override async Task<ListApiTokensResponse> ListApiTokens(ListApiTokensRequest request, ServerCallContext context)
    {
        var (tokens, next) = await accounts.ListApiTokensAsync(
            context.GetCaller().RequireUser(), request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListApiTokensResponse { NextPageToken = next };
        response.ApiTokens.Add(tokens.Select(t => t.ToApiToken()));
        return response;
    }

    public override async Task<RevokeApiTokenResponse> RevokeApiToken(RevokeApiTokenRequest request, ServerCallContext context)
    {
        var token = await accounts.RevokeApiTokenAsync(context.GetCaller().RequireUser(), request.ApiTokenId, context.CancellationToken);
        return new RevokeApiTokenResponse { ApiToken = token.ToApiToken() };
    }
}
