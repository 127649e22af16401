using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Pages;
using Guance.Billing.V1;
using MudBlazor;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// A workspace's collector tokens: the Owner and Administrators create one (shown once, to copy), see them all and
/// revoke one after confirming; other members have no access.
/// </summary>
public sealed class CollectorTokensPageTests : ConsoleContext
{
    private static readonly Timestamp Created = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));
    private readonly List<CollectorToken> _tokens = [];

    public CollectorTokensPageTests()
    {
        Host.On<ListCollectorTokensRequest, ListCollectorTokensResponse>("WorkspaceService/ListCollectorTokens", _ => new ListCollectorTokensResponse { CollectorTokens = { _tokens } });
        Host.On<CreateCollectorTokenRequest, CreateCollectorTokenResponse>("WorkspaceService/CreateCollectorToken", r =>
        {
            var token = new CollectorToken { CollectorTokenId = "ct_2", WorkspaceId = r.WorkspaceId, DisplayName = r.DisplayName, CreateTime = Created };
            _tokens.Insert(0, token);
            return new CreateCollectorTokenResponse { CollectorToken = token, Token = "gct_secret_once" };
        });
        Host.On<RevokeCollectorTokenRequest, RevokeCollectorTokenResponse>("WorkspaceService/RevokeCollectorToken", r =>
        {
            var token = _tokens.Single(t => t.CollectorTokenId == r.CollectorTokenId);
            token.RevokeTime = Created;
            return new RevokeCollectorTokenResponse { CollectorToken = token };
        });
    }

    [Fact]
    public async Task A_new_token_is_shown_once_to_copy_and_then_listed_by_its_name()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator);
        var clipboard = JSInterop.SetupModule(Guance.Billing.Console.Components.BrowserClipboard.ModulePath);
        clipboard.Setup<bool>("copyText", _ => true).SetResult(true);

        var page = Render<CollectorTokensPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        Assert.Contains("No collector token yet.", page.WaitForElement("[data-testid=collector-tokens]").TextContent, StringComparison.Ordinal);
        page.Find("input[data-testid=token-name]").Input(" prod hosts ");
        page.Find("[data-testid=create-token]").Click();

        Assert.Equal("gct_secret_once", page.WaitForElement("[data-testid=collector-token]").TextContent.Trim());
        Assert.Equal("prod hosts", Host.CallsOf<CreateCollectorTokenRequest>("WorkspaceService/CreateCollectorToken").Single().DisplayName);
        Assert.Equal("prod hosts", page.Find("tr[data-id=ct_2] [data-testid=token-display-name]").TextContent.Trim());
        Assert.Equal("Active", page.Find("tr[data-id=ct_2] [data-testid=token-state]").TextContent.Trim());
        PhoneCards.AssertEveryCellNamed(page, "collector-tokens");

        page.Find("[data-testid=copy-secret]").Click();
        page.WaitForAssertion(() => Assert.Equal("Copied.", page.Find("[data-testid=copy-outcome]").TextContent.Trim()));
        Assert.Equal("gct_secret_once", clipboard.Invocations["copyText"].Single().Arguments[0]);
        page.Find("[data-testid=token-saved]").Click();
        Assert.Empty(page.FindAll("[data-testid=collector-token-notice]"));
        Assert.DoesNotContain("gct_secret_once", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_asks_first_and_then_shows_when_it_was_revoked()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        _tokens.Add(new CollectorToken { CollectorTokenId = "ct_1", WorkspaceId = WorkspaceId, DisplayName = "staging", CreateTime = Created });
        var dialogs = Render<MudDialogProvider>();

        var page = Render<CollectorTokensPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("tr[data-id=ct_1] [data-testid=revoke-token]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke staging?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Host.CallsOf<RevokeCollectorTokenRequest>("WorkspaceService/RevokeCollectorToken"));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Revoke it", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.StartsWith("Revoked at", page.Find("tr[data-id=ct_1] [data-testid=token-state]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal("ct_1", Host.CallsOf<RevokeCollectorTokenRequest>("WorkspaceService/RevokeCollectorToken").Single().CollectorTokenId);
        Assert.Empty(page.FindAll("tr[data-id=ct_1] [data-testid=revoke-token]"));
    }

    [Theory]
    [InlineData(WorkspaceRole.Standard)]
    [InlineData(WorkspaceRole.ReadOnly)]
    public async Task Other_members_have_no_access_and_nothing_is_listed(WorkspaceRole role)
    {
        await SignInAsync();
        Workspace(role);

        var page = Render<CollectorTokensPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Contains("collector tokens are managed by the workspace's Owner and Administrators", page.WaitForElement("[data-testid=no-access]").TextContent, StringComparison.Ordinal);
        Assert.Empty(Host.CallsOf<ListCollectorTokensRequest>("WorkspaceService/ListCollectorTokens"));
    }
}
