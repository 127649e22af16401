using Grpc.Core;
using Guance.Billing.Console.Layout;
using Guance.Billing.Console.Session;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Api;

/// <summary>
/// The public API as the billing center calls it: with the billing-center session's token (gcb_...),
/// never the console account's. An expired or revoked session ends it and returns the person to the
/// billing-center sign-in with a message.
/// </summary>
public sealed class BillingCenterApi(ConsoleConnection connection, BillingCenterSession session, NavigationManager navigation)
{
    public const string ExpiredMessage = "Your billing-center session has ended (it expired, or you signed out elsewhere). Sign in again to continue.";

    public BillingAccountService.BillingAccountServiceClient Accounts => new(Invoker);

    public SettlementService.SettlementServiceClient Settlement => new(Invoker);

    public MonthlyBillService.MonthlyBillServiceClient MonthlyBills => new(Invoker);

    public InvoiceService.InvoiceServiceClient Invoices => new(Invoker);

    public TicketService.TicketServiceClient Tickets => new(Invoker);

    public WebhookService.WebhookServiceClient Webhooks => new(Invoker);

    /// <summary>For the sites (ListSites needs no more than the session).</summary>
    public WorkspaceService.WorkspaceServiceClient Workspaces => new(Invoker);

    /// <summary>The signed-in billing account; empty when signed out.</summary>
    public string AccountId => session.User?.BillingAccountId ?? "";

    private CallInvoker Invoker => connection.Invoker(session.Token);

    private SiteCatalog? _sites;

    /// <summary>
    /// The sites (ListSites), read once: their names, and their zones, since a workspace's billing days are its site's
    /// (docs/domain.md §2). <see cref="SiteCatalog.Empty"/> when unreadable, and read again next time.
    /// </summary>
    public async Task<SiteCatalog> SitesAsync()
    {
        if (_sites is null)
        {
            var sites = await CallAsync(a => a.Workspaces.ListSitesAsync(new ListSitesRequest()));
            if (sites.Value is null)
            {
                return SiteCatalog.Empty;
            }
            _sites = new SiteCatalog(sites.Value.Sites);
        }
        return _sites;
    }

    /// <summary>
    /// The signed-in billing account's cloud accounts, for a console page that offers them only as a convenience (the
    /// upgrade, the settlement method): null when no billing-center session is loaded in this tab or the list cannot be
    /// read. A refusal (an expired session among them) neither shows nor sends anyone to sign in: the person types the ID.
    /// </summary>
    public async Task<IReadOnlyList<CloudAccount>?> TryListCloudAccountsAsync()
    {
        if (session.User is not { } account)
        {
            return null;
        }
        var listed = await ApiCalls.RunAsync(
            () => Accounts.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = account.BillingAccountId, PageSize = 1000 }),
            () => false, () => Task.CompletedTask);
        return listed.Value?.CloudAccounts;
    }

    public Task<ApiResult<T>> CallAsync<T>(Func<BillingCenterApi, AsyncUnaryCall<T>> call) =>
        ApiCalls.RunAsync(() => call(this), () => session.User is not null, EndExpiredAsync);

    /// <summary>Reads a streamed file (a CSV export, a document) whole.</summary>
    public Task<ApiResult<byte[]>> DownloadAsync<T>(Func<BillingCenterApi, AsyncServerStreamingCall<T>> call, Func<T, Google.Protobuf.ByteString> data) =>
        ApiCalls.ReadAllAsync(() => call(this), data, () => session.User is not null, EndExpiredAsync);

    private async Task EndExpiredAsync()
    {
        await session.EndAsync(ExpiredMessage);
        navigation.NavigateTo(BillingCenterRoute.SignInReturningTo(navigation));
    }

    /// <summary>Signs in with the billing-center user name and keeps the session's token as the tab's billing-center session.</summary>
    public async Task<ConsoleError?> SignInAsync(string username, string password)
    {
        var result = await CallAsync(a => a.Accounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = username, Password = password }));
        if (result.Value is { } signedIn)
        {
            await StartAsync(signedIn.Token, signedIn.Session, signedIn.BillingAccount);
        }
        return result.Error;
    }

    /// <summary>Creates a billing-center account and signs in with the session that comes with it.</summary>
    public async Task<ConsoleError?> RegisterAsync(RegisterBillingAccountRequest request)
    {
        var result = await CallAsync(a => a.Accounts.RegisterBillingAccountAsync(request));
        if (result.Value is { } registered)
        {
            await StartAsync(registered.Token, registered.Session, registered.BillingAccount);
        }
        return result.Error;
    }

    private Task StartAsync(string token, BillingSession started, BillingAccount account) =>
        session.SignInAsync(new SignedInBillingAccount(token, started.SessionId, account.BillingAccountId, account.Username, account.DisplayName));

    /// <summary>Ends the billing-center session on the host, then forgets its token (also when the host already refused it).</summary>
    public async Task SignOutAsync()
    {
        if (session.User is not null)
        {
            try
            {
                using var signOut = Accounts.SignOutBillingAccountAsync(new SignOutBillingAccountRequest());
                await signOut.ResponseAsync;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.Unauthenticated)
            {
                // Already expired or ended: nothing is left to end.
            }
        }
        await session.EndAsync("You have signed out of the billing center.");
    }
}
