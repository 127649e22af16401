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
    public async Task The_billing_center_lists_the_codes_with_their_state_and_shows_a_new_code_once()
    {
        await SignInBillingCenterAsync();
        var codes = new List<BindingCode>
        {
            new() { BindingCodeId = "bc_2", State = BindingCodeState.Used, UsedByWorkspaceId = "ws_prod", UseTime = At(1, 40), CreateTime = At(1, 35), ExpireTime = At(1, 45) },
            new() { BindingCodeId = "bc_1", State = BindingCodeState.Expired, CreateTime = At(1, 0), ExpireTime = At(1, 10) },
        };
        Host.On<ListBoundWorkspacesRequest, ListBoundWorkspacesResponse>("BillingAccountService/ListBoundWorkspaces", _ => new ListBoundWorkspacesResponse
            {
                Workspaces = { new BoundWorkspace { WorkspaceId = "ws_prod", Name = "Production", SiteCode = "cn1", BindTime = At(1, 40) } },
            })
            .On<ListBindingCodesRequest, ListBindingCodesResponse>("BillingAccountService/ListBindingCodes", _ => new ListBindingCodesResponse { BindingCodes = { codes } })
            .On<CreateBindingCodeRequest, CreateBindingCodeResponse>("BillingAccountService/CreateBindingCode", _ =>
            {
                codes.Insert(0, new BindingCode { BindingCodeId = "bc_3", State = BindingCodeState.Unused, CreateTime = At(2, 0), ExpireTime = At(2, 10) });
                return new CreateBindingCodeResponse { BindingCode = "K7QM-3XPA-9WRT", BindingCodeId = "bc_3", ExpireTime = At(2, 10) };
            });
        var page = Render<BindingCodesPage>();

        page.WaitForAssertion(() => Assert.Equal(["Used", "Expired"], page.FindAll("[data-testid=binding-code-state]").Select(c => c.TextContent)));
        // The workspace it bound by its name, its id small beside it.
        Assert.Contains("Bound workspace Production at 2026-11-02 09:40 UTC+8", page.Find("tr[data-id=bc_2]").TextContent, StringComparison.Ordinal);
        Assert.Equal("ws_prod", page.Find("tr[data-id=bc_2] [data-testid=secondary-id]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=revoke-binding-code]"));
        page.Find("[data-testid=create-binding-code]").Click();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=binding-code-state]").Count));
        var created = page.Find("tr[data-id=bc_3]");
        Assert.Equal("K7QM-3XPA-9WRT", created.QuerySelector("code")!.TextContent);
        Assert.Contains("2026-11-02 10:10", created.TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=revoke-binding-code]"));
        PhoneCards.AssertEveryCellNamed(page, "binding-codes");
        Assert.All(Host.CallsOf<ListBindingCodesRequest>("BillingAccountService/ListBindingCodes"), r => Assert.Equal(BillingAccountId, r.BillingAccountId));
    }

    [Fact]
    public async Task Revoking_a_code_asks_first_then_the_list_shows_it_revoked()
    {
        await SignInBillingCenterAsync();
        var code = new BindingCode { BindingCodeId = "bc_1", State = BindingCodeState.Unused, CreateTime = At(1, 0), ExpireTime = At(1, 10) };
        Host.On<ListBindingCodesRequest, ListBindingCodesResponse>("BillingAccountService/ListBindingCodes", _ => new ListBindingCodesResponse { BindingCodes = { code } })
            .On<RevokeBindingCodeRequest, RevokeBindingCodeResponse>("BillingAccountService/RevokeBindingCode", _ =>
            {
                (code.State, code.RevokeTime) = (BindingCodeState.Revoked, At(1, 5));
                return new RevokeBindingCodeResponse { BindingCode = code };
            });
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<BindingCodesPage>();

        page.WaitForElement("[data-testid=revoke-binding-code]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke the binding code?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Host.CallsOf<RevokeBindingCodeRequest>("BillingAccountService/RevokeBindingCode"));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Revoke it", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal("Revoked", page.Find("[data-testid=binding-code-state]").TextContent));
        Assert.Contains("Revoked at 2026-11-02 09:05", page.Find("tr[data-id=bc_1]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=revoke-binding-code]"));
        var revoke = Host.CallsOf<RevokeBindingCodeRequest>("BillingAccountService/RevokeBindingCode").Single();
        Assert.Equal((BillingAccountId, "bc_1"), (revoke.BillingAccountId, revoke.BindingCodeId));
    }

    [Fact]
    public async Task A_code_used_meanwhile_is_explained_in_words()
    {
        await SignInBillingCenterAsync();
        Host.On<ListBindingCodesRequest, ListBindingCodesResponse>("BillingAccountService/ListBindingCodes", _ => new ListBindingCodesResponse
        {
            BindingCodes = { new BindingCode { BindingCodeId = "bc_1", State = BindingCodeState.Unused, CreateTime = At(1, 0), ExpireTime = At(1, 10) } },
        }).On<RevokeBindingCodeRequest, RevokeBindingCodeResponse>("BillingAccountService/RevokeBindingCode",
            _ => throw FakeHost.Failure(Grpc.Core.StatusCode.FailedPrecondition, "BINDING_CODE_USED", "This binding code was used already; ask the billing account for a new one."));
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<BindingCodesPage>();

        page.WaitForElement("[data-testid=revoke-binding-code]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Revoke it", StringComparison.Ordinal)).Click());

        Assert.Contains("was used already", page.WaitForElement("[data-testid=error]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("BINDING_CODE_USED", page.Markup, StringComparison.Ordinal);
    }

    private static Timestamp At(int hour, int minute) => Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, hour, minute, 0, TimeSpan.Zero));

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
