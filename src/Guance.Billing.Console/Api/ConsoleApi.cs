using Grpc.Core;
using Guance.Billing.Console.Layout;
using Guance.Billing.Console.Session;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Api;

/// <summary>The result of a call: its response, or the error to show.</summary>
public readonly record struct ApiResult<T>(T? Value, ConsoleError? Error)
{
    public bool Ok => Error is null;
}

/// <summary>
/// The generated clients of the public API, calling with the session's token. Every call of a page
/// goes through <see cref="CallAsync{T}"/>: an expired or revoked token ends the session and returns
/// the person to sign-in with a message; any other failure comes back as a <see cref="ConsoleError"/>.
/// </summary>
public sealed class ConsoleApi(ConsoleConnection connection, ConsoleSession session, NavigationManager navigation)
{
    public const string ExpiredMessage = "Your session has ended (it expired, or you signed out elsewhere). Sign in again to continue.";

    public IdentityService.IdentityServiceClient Identity => new(Invoker);

    public WorkspaceService.WorkspaceServiceClient Workspaces => new(Invoker);

    public UsageService.UsageServiceClient Usage => new(Invoker);

    public SettlementService.SettlementServiceClient Settlement => new(Invoker);

    public ConsumptionAlertService.ConsumptionAlertServiceClient Alerts => new(Invoker);

    /// <summary>The tickets of the user's workspaces.</summary>
    public TicketService.TicketServiceClient Tickets => new(Invoker);

    private CallInvoker Invoker => connection.Invoker(session.Token);

    public Task<ApiResult<T>> CallAsync<T>(Func<ConsoleApi, AsyncUnaryCall<T>> call) =>
        ApiCalls.RunAsync(() => call(this), () => session.User is not null, EndExpiredAsync);

    /// <summary>Reads a streamed file (a ticket's attachment) whole.</summary>
    public Task<ApiResult<byte[]>> DownloadAsync<T>(Func<ConsoleApi, AsyncServerStreamingCall<T>> call, Func<T, Google.Protobuf.ByteString> data) =>
        ApiCalls.ReadAllAsync(() => call(this), data, () => session.User is not null, EndExpiredAsync);

    private async Task EndExpiredAsync()
    {
        await session.EndAsync(ExpiredMessage);
        navigation.NavigateTo(ConsoleRoute.SignInReturningTo(navigation));
    }

    /// <summary>Signs in with an expiring console token and keeps it as the tab's session.</summary>
    public async Task<ConsoleError?> SignInAsync(string email, string password)
    {
        var result = await CallAsync(a => a.Identity.SignInAsync(new SignInRequest { Email = email, Password = password }));
        if (result.Value is { } signedIn)
        {
            await session.SignInAsync(new SignedInUser(signedIn.Token, signedIn.ApiToken.ApiTokenId, signedIn.User.UserId, signedIn.User.Email, signedIn.User.DisplayName));
        }
        return result.Error;
    }

    /// <summary>Revokes the session's token on the host, then forgets it (also when the host already refused it).</summary>
    public async Task SignOutAsync()
    {
        if (session.User is { } user)
        {
            try
            {
                using var revoke = Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = user.ApiTokenId });
                await revoke.ResponseAsync;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.Unauthenticated)
            {
                // Already expired or revoked: nothing is left to revoke.
            }
        }
        await session.EndAsync("You have signed out.");
    }
}
