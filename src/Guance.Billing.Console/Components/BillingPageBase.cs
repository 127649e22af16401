using Guance.Billing.Console.Api;
using Guance.Billing.Console.Layout;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Components;

/// <summary>
/// A page of the workspace's Billing module: lets in only the workspace's Owner and Administrators
/// (docs/domain.md §2) and learns the item names before loading the page's own data.
/// </summary>
public abstract class BillingPageBase : WorkspacePageBase
{
    [Inject] protected BillingCatalog Catalog { get; set; } = default!;

    protected override bool Admits(WorkspaceRole role) => WorkspaceRoute.HasBilling(role);

    protected override async Task PrepareAsync() => await Catalog.ItemsAsync();
}
