using Grpc.Core;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Layout;
using Guance.Billing.Console.Session;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Components;

/// <summary>
/// A page of the billing center: waits for the tab's billing-center session (the layout sends a
/// signed-out person to the billing-center sign-in), then loads the page's own data for the
/// signed-in account through the public API.
/// </summary>
public abstract class BillingCenterPageBase : ComponentBase
{
    [Inject] protected BillingCenterApi Api { get; set; } = default!;

    [Inject] protected BillingCenterSession Session { get; set; } = default!;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    /// <summary>The signed-in billing account, which every call of the page is about.</summary>
    protected string AccountId => Api.AccountId;

    /// <summary>The billing center's time zone (China time).</summary>
    protected static TimeZoneInfo Zone => BillingCenterRoute.Zone;

    protected GateState Gate { get; private set; } = GateState.Loading;

    protected ConsoleError? GateError { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        await Session.LoadAsync();
        if (Session.User is null)
        {
            return;
        }
        await ReloadAsync();
    }

    /// <summary>Loads the page's data again (after a change), showing the error that keeps it from showing.</summary>
    protected async Task ReloadAsync()
    {
        var error = await LoadAsync();
        // A page of one thing by its id in the address: an id that is not the account's, or not even of the right shape.
        (Gate, GateError) = error switch
        {
            null => (GateState.Ready, null),
            { Code: StatusCode.NotFound or StatusCode.InvalidArgument } when NotFoundText is not null => (GateState.NotFound, error),
            _ => (GateState.Failed, error),
        };
    }

    /// <summary>What to say when the thing the page's address names is not the account's; null on a page whose address names none.</summary>
    protected virtual string? NotFoundText => null;

    /// <summary>Loads the page's data; returns the error that keeps the page from showing, or null.</summary>
    protected abstract Task<ConsoleError?> LoadAsync();
}
