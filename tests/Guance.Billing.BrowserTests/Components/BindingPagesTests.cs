using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;
using V1 = Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The binding flow: the paying account creates a code in the billing center; the workspace's Owner enters it (docs/domain.md §1, §7).</summary>
public sealed class BindingPagesTests : ConsoleContext
{
    [Fact]
    public async Task The_billing_center_shows_each_code_it_creates_with_its_expiry()
    {
        await SignInBillingCenterAsync();
        var codes = new Queue<string>(["K7QM-3XPA-9WRT", "ABCD-EFGH-JKLM"]);
        Host.On<CreateBindingCodeRequest, CreateBindingCodeResponse>("BillingAccountService/CreateBindingCode", _ => new CreateBindingCodeResponse
        {
            BindingCode = codes.Dequeue(), ExpireTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 1, 45, 0, TimeSpan.Zero)),
        });
        var page = Render<BindingCodesPage>();

        page.Find("[data-testid=create-binding-code]").Click();
        page.Find("[data-testid=create-binding-code]").Click();

        page.WaitForAssertion(() => Assert.Equal(["ABCD-EFGH-JKLM", "K7QM-3XPA-9WRT"], page.FindAll("[data-testid=binding-code]").Select(c => c.TextContent.Trim())));
        Assert.Contains("2026-11-02 09:45", page.Find("[data-testid=binding-codes]").TextContent);
        Assert.All(Host.CallsOf<CreateBindingCodeRequest>("BillingAccountService/CreateBindingCode"), r => Assert.Equal(BillingAccountId, r.BillingAccountId));
    }

    [Fact]
    public async Task The_owner_changes_the_binding_with_a_code_and_a_wrong_code_is_explained_next_to_the_field()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);
        var calls = 0;
        Host.On<ChangeBindingRequest, ChangeBindingResponse>("SettlementService/ChangeBinding", _ => ++calls == 1
            ? throw FakeHost.BadRequest(("binding_code", "This binding code does not exist or has expired."))
            : new ChangeBindingResponse { Settlement = new V1.Settlement { WorkspaceId = WorkspaceId, BillingAccountUsername = "new-payer" } });
        var page = Render<ChangeBindingPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("input").Change("NOPE");
        page.Find("form").Submit();
        page.WaitForAssertion(() => Assert.Contains("This binding code does not exist or has expired.", page.Find(".mud-input-error").TextContent));
        page.Find("input").Change(" K7QM-3XPA-9WRT ");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.EndsWith($"/workspaces/{WorkspaceId}/billing", Services.GetRequiredService<NavigationManager>().Uri));
        Assert.Equal(["NOPE", "K7QM-3XPA-9WRT"], Host.CallsOf<ChangeBindingRequest>("SettlementService/ChangeBinding").Select(r => r.BindingCode));
    }

    [Fact]
    public async Task An_administrator_cannot_change_the_binding()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator, Plan.Commercial);

        var page = Render<ChangeBindingPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=no-access]");
        Assert.Empty(page.FindAll("form"));
    }
}
