using Bunit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.Console.Pages;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// A workspace's members (docs/domain.md §2): every member sees them; the Owner and Administrators add members and change
/// roles, only the Owner touches Administrators and hands the workspace over; anyone but the Owner may leave.
/// </summary>
public sealed class MembersPageTests : ConsoleContext
{
    private static readonly Timestamp Joined = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));

    // The signed-in user is usr_1 (Ann).
    private static readonly Member Ann = new() { UserId = "usr_1", Email = "ann@example.com", DisplayName = "Ann", Role = WorkspaceRole.Owner, JoinTime = Joined };
    private static readonly Member Bob = new() { UserId = "usr_2", Email = "bob@example.com", DisplayName = "Bob", Role = WorkspaceRole.Administrator, JoinTime = Joined };
    private static readonly Member Cid = new() { UserId = "usr_3", Email = "cid@example.com", DisplayName = "", Role = WorkspaceRole.Standard, JoinTime = Joined };

    private void MembersAre(params Member[] members) =>
        Host.On<ListMembersRequest, ListMembersResponse>("WorkspaceService/ListMembers", _ => new ListMembersResponse { Members = { members } });

    private static Member As(Member member, WorkspaceRole role) => new(member) { Role = role };

    [Fact]
    public async Task The_owner_changes_roles_of_everyone_but_itself_and_an_administrator_only_of_standard_and_read_only_members()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        MembersAre(Ann, Bob, Cid);
        Host.On<UpdateMemberRoleRequest, UpdateMemberRoleResponse>("WorkspaceService/UpdateMemberRole", r => new UpdateMemberRoleResponse { Member = As(Cid, r.Role) });

        var page = Render<MembersPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=members] tr[data-id=usr_3]");
        Assert.Equal("Ann (you)", page.Find("tr[data-id=usr_1] [data-testid=member-name]").TextContent.Trim());
        // A member without a display name is named by the e-mail address.
        Assert.Equal("cid@example.com", page.Find("tr[data-id=usr_3] [data-testid=member-name]").TextContent.Trim());
        Assert.Empty(page.FindAll("tr[data-id=usr_1] [data-testid=member-role-select], tr[data-id=usr_1] [data-testid=remove-member], tr[data-id=usr_1] [data-testid=leave]"));
        Assert.Single(page.FindAll("tr[data-id=usr_2] [data-testid=member-role-select]"));
        Assert.Single(page.FindAll("tr[data-id=usr_2] [data-testid=make-owner]"));
        PhoneCards.AssertEveryCellNamed(page, "members");

        // The selects: Bob's row, Cid's row, then the new member's.
        var cidRole = page.FindComponents<MudSelect<WorkspaceRole>>()[1];
        await page.InvokeAsync(() => cidRole.Instance.ValueChanged.InvokeAsync(WorkspaceRole.Administrator));
        var sent = Host.CallsOf<UpdateMemberRoleRequest>("WorkspaceService/UpdateMemberRole").Single();
        Assert.Equal((WorkspaceId, "usr_3", WorkspaceRole.Administrator), (sent.WorkspaceId, sent.UserId, sent.Role));
    }

    [Fact]
    public async Task A_refused_role_change_is_explained_and_the_list_shows_the_role_the_host_keeps()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        MembersAre(Ann, Cid);
        Host.On<UpdateMemberRoleRequest, UpdateMemberRoleResponse>("WorkspaceService/UpdateMemberRole", _ =>
            throw FakeHost.Failure(StatusCode.FailedPrecondition, "WORKSPACE_DISSOLVED", "The workspace has been dissolved."));

        var page = Render<MembersPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("tr[data-id=usr_3] [data-testid=member-role-select]");
        var cidRole = page.FindComponents<MudSelect<WorkspaceRole>>()[0];
        await page.InvokeAsync(() => cidRole.Instance.ValueChanged.InvokeAsync(WorkspaceRole.ReadOnly));

        page.WaitForAssertion(() => Assert.Contains("The workspace has been dissolved.", page.Markup, StringComparison.Ordinal));
        Assert.Equal(2, Host.CallsOf<ListMembersRequest>("WorkspaceService/ListMembers").Count());
        Assert.Equal("Standard", page.Find("tr[data-id=usr_3] [data-testid=member-role-select]").TextContent.Trim());
    }

    [Fact]
    public async Task An_administrator_may_not_touch_another_administrator_nor_make_one()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator);
        MembersAre(Bob, As(Ann, WorkspaceRole.Administrator), Cid);
        var popovers = Render<MudPopoverProvider>();

        var page = Render<MembersPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=members] tr[data-id=usr_3]");
        Assert.Empty(page.FindAll("tr[data-id=usr_2] [data-testid=member-role-select], tr[data-id=usr_2] [data-testid=remove-member]"));
        Assert.Single(page.FindAll("tr[data-id=usr_3] [data-testid=member-role-select]"));
        Assert.Single(page.FindAll("tr[data-id=usr_3] [data-testid=remove-member]"));
        Assert.Single(page.FindAll("tr[data-id=usr_1] [data-testid=leave]"));
        Assert.Empty(page.FindAll("[data-testid=make-owner]"));

        // The new member's roles: no Administrator.
        var selects = page.FindComponents<MudSelect<WorkspaceRole>>();
        var newRole = selects[^1];
        await page.InvokeAsync(() => newRole.Instance.OpenMenu());
        popovers.WaitForAssertion(() => Assert.Equal(["Standard", "Read-only"], popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim())));
    }

    [Fact]
    public async Task Adding_a_member_sends_the_address_and_role_and_shows_the_hosts_refusal_in_words()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        MembersAre(Ann);
        Host.On<AddMemberRequest, AddMemberResponse>("WorkspaceService/AddMember", r => r.Email == "dan@example.com"
            ? new AddMemberResponse { Member = new Member { UserId = "usr_4", Email = r.Email, DisplayName = "Dan", Role = r.Role, JoinTime = Joined } }
            : throw FakeHost.Failure(StatusCode.NotFound, "USER_NOT_FOUND", $"No console account has the e-mail address {r.Email}; ask them to sign up first, then add them."));

        var page = Render<MembersPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("input[data-testid=member-email]").Input("nobody@example.com");
        page.Find("[data-testid=add-member]").Click();
        page.WaitForAssertion(() => Assert.Contains("ask them to sign up first", page.Markup, StringComparison.Ordinal));

        page.Find("input[data-testid=member-email]").Input("  dan@example.com ");
        var selects = page.FindComponents<MudSelect<WorkspaceRole>>();
        await page.InvokeAsync(() => selects[^1].Instance.ValueChanged.InvokeAsync(WorkspaceRole.ReadOnly));
        page.Find("[data-testid=add-member]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, Host.CallsOf<AddMemberRequest>("WorkspaceService/AddMember").Count()));
        var sent = Host.CallsOf<AddMemberRequest>("WorkspaceService/AddMember").Last();
        Assert.Equal((WorkspaceId, "dan@example.com", WorkspaceRole.ReadOnly), (sent.WorkspaceId, sent.Email, sent.Role));
        // The list is read again after the add.
        Assert.True(Host.CallsOf<ListMembersRequest>("WorkspaceService/ListMembers").Count() >= 2);
    }

    [Fact]
    public async Task A_standard_member_sees_the_members_and_may_only_leave_after_confirming()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Standard);
        MembersAre(As(Bob, WorkspaceRole.Owner), As(Ann, WorkspaceRole.Standard));
        Host.On<RemoveMemberRequest, RemoveMemberResponse>("WorkspaceService/RemoveMember", _ => new RemoveMemberResponse());
        var dialogs = Render<MudDialogProvider>();

        var page = Render<MembersPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=members] tr[data-id=usr_2]");
        Assert.Empty(page.FindAll("[data-testid=add-member-form], [data-testid=member-role-select], [data-testid=remove-member], [data-testid=make-owner]"));
        page.Find("tr[data-id=usr_1] [data-testid=leave]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Leave Production?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Host.CallsOf<RemoveMemberRequest>("WorkspaceService/RemoveMember"));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Leave").Click();

        page.WaitForAssertion(() => Assert.Equal("usr_1", Host.CallsOf<RemoveMemberRequest>("WorkspaceService/RemoveMember").Single().UserId));
        page.WaitForAssertion(() => Assert.Equal("http://localhost/", Services.GetRequiredService<NavigationManager>().Uri));
    }

    [Fact]
    public async Task A_mistyped_workspace_address_says_there_is_no_such_workspace_not_which_field_is_wrong()
    {
        await SignInAsync();
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace",
            _ => throw FakeHost.BadRequest(("workspace_id", "must be an id as the API returns it: ws_ and 26 lower-case letters and digits")));

        var page = Render<MembersPage>(p => p.Add(x => x.WorkspaceId, "ws_nonexistent"));

        Assert.Contains("This workspace does not exist", page.WaitForElement("[data-testid=not-found]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Some fields need correcting", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handing_the_workspace_over_asks_first_and_leaves_the_former_owner_an_administrator()
    {
        await SignInAsync();
        var role = WorkspaceRole.Owner;
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace", _ => new GetWorkspaceResponse
        {
            Workspace = new Workspace { WorkspaceId = WorkspaceId, Name = "Production", SiteCode = "cn1", CallerRole = role, State = WorkspaceState.Active },
        }).On<ListWorkspacesRequest, ListWorkspacesResponse>("WorkspaceService/ListWorkspaces", _ => new ListWorkspacesResponse());
        MembersAre(Ann, Bob);
        Host.On<TransferOwnershipRequest, TransferOwnershipResponse>("WorkspaceService/TransferOwnership", _ =>
        {
            role = WorkspaceRole.Administrator;
            return new TransferOwnershipResponse();
        });
        var dialogs = Render<MudDialogProvider>();

        var page = Render<MembersPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("tr[data-id=usr_2] [data-testid=make-owner]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Make Bob the Owner?", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Make them the Owner", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal("usr_2", Host.CallsOf<TransferOwnershipRequest>("WorkspaceService/TransferOwnership").Single().NewOwnerUserId));
        // The page reads the workspace again: its caller is an Administrator now, who hands nothing over.
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=make-owner]")));
        Assert.Equal(2, Host.CallsOf<GetWorkspaceRequest>("WorkspaceService/GetWorkspace").Count());
    }
}
