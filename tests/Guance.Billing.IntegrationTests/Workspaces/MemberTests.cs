using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Workspaces;

/// <summary>ListMembers, AddMember, UpdateMemberRole, RemoveMember, TransferOwnership, and the rules of roles.</summary>
public sealed class MemberTests(BillingHost host) : IClassFixture<BillingHost>
{
    // ---- ListMembers ----

    [Fact]
    public async Task ListMembers_pages_through_the_members_in_the_order_they_joined()
    {
        var owner = await host.SignUpAsync("owner");
        var first = await host.SignUpAsync("first");
        var second = await host.SignUpAsync("second");
        var ws = (await owner.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Joiners", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        // They joined in the opposite order of signing up.
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = ws, Email = second.Email, Role = WorkspaceRole.ReadOnly });
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var joinOfFirst = host.Clock.GetUtcNow();
        await owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = ws, Email = first.Email, Role = WorkspaceRole.Standard });

        var members = new List<Member>();
        var pageToken = "";
        var pages = 0;
        do
        {
            var page = await first.Api.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = ws, PageSize = 1, PageToken = pageToken });
            Assert.Single(page.Members);
            members.AddRange(page.Members);
            pageToken = page.NextPageToken;
            pages++;
        }
        while (pageToken != "");

        Assert.Equal(3, pages);
        Assert.Equal([owner.Id, second.Id, first.Id], members.Select(m => m.UserId));
        Assert.Equal([WorkspaceRole.Owner, WorkspaceRole.ReadOnly, WorkspaceRole.Standard], members.Select(m => m.Role));
        var last = members[2];
        Assert.Equal((first.Email, "first", joinOfFirst), (last.Email, last.DisplayName, last.JoinTime.ToDateTimeOffset()));
        Assert.Equal(members, (await first.Api.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = ws })).Members);
    }

    [Fact]
    public async Task ListMembers_validates_its_fields_all_at_once()
    {
        var ws = await host.CreateWorkspaceAsync();
        var api = ws.ReadOnly.Api.Workspaces;
        await RpcAssert.InvalidFields(() => api.ListMembersAsync(new ListMembersRequest { WorkspaceId = ws.Id, PageSize = -1 }), "page_size");
        await RpcAssert.InvalidFields(() => api.ListMembersAsync(new ListMembersRequest { WorkspaceId = ws.Id, PageSize = 1001 }), "page_size");
        await RpcAssert.InvalidFields(() => api.ListMembersAsync(new ListMembersRequest { WorkspaceId = ws.Id, PageToken = "garbage" }), "page_token");
        await RpcAssert.InvalidFields(() => api.ListMembersAsync(new ListMembersRequest { WorkspaceId = "", PageSize = 5000, PageToken = "garbage" }),
            "workspace_id", "page_size", "page_token");
        // A token of the right list whose position is not one the host writes.
        var forged = Guance.Billing.Common.Paging.Encode($"members:{ws.Id}", "not-a-position");
        await RpcAssert.InvalidFields(() => api.ListMembersAsync(new ListMembersRequest { WorkspaceId = ws.Id, PageToken = forged }), "page_token");
    }

    // ---- AddMember ----

    [Theory]
    [InlineData(WorkspaceRole.Administrator)]
    [InlineData(WorkspaceRole.Standard)]
    [InlineData(WorkspaceRole.ReadOnly)]
    public async Task AddMember_adds_an_existing_user_found_by_email_in_any_case(WorkspaceRole role)
    {
        var ws = await host.CreateWorkspaceAsync();
        var newcomer = await host.SignUpAsync("newcomer");

        var member = (await ws.Owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest
        {
            WorkspaceId = ws.Id, Email = $"  {newcomer.Email.ToUpperInvariant()} ", Role = role,
        })).Member;

        Assert.Equal((newcomer.Id, newcomer.Email, "newcomer", role), (member.UserId, member.Email, member.DisplayName, member.Role));
        Assert.Equal(host.Clock.GetUtcNow(), member.JoinTime.ToDateTimeOffset());
        var seen = (await newcomer.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id })).Workspace;
        Assert.Equal(role, seen.CallerRole);
    }

    [Fact]
    public async Task An_Administrator_adds_Standard_and_Read_only_members_but_not_Administrators()
    {
        var ws = await host.CreateWorkspaceAsync();
        var standard = await host.SignUpAsync("std");
        var readOnly = await host.SignUpAsync("ro");
        var admin = await host.SignUpAsync("adm");
        var api = ws.Administrator.Api.Workspaces;

        await api.AddMemberAsync(new AddMemberRequest { WorkspaceId = ws.Id, Email = standard.Email, Role = WorkspaceRole.Standard });
        await api.AddMemberAsync(new AddMemberRequest { WorkspaceId = ws.Id, Email = readOnly.Email, Role = WorkspaceRole.ReadOnly });
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => api.AddMemberAsync(new AddMemberRequest { WorkspaceId = ws.Id, Email = admin.Email, Role = WorkspaceRole.Administrator }), "ROLE_NOT_PERMITTED");

        Assert.Null(await host.RoleOfAsync(ws.Id, admin.Id));
        Assert.Equal(WorkspaceRole.Standard, await host.RoleOfAsync(ws.Id, standard.Id));
    }

    public static TheoryData<string> BadAdds => new(BadAddCases.Keys);

    private static readonly Dictionary<string, (string Email, WorkspaceRole Role, string[] Fields)> BadAddCases = new()
    {
        ["no email"] = ("", WorkspaceRole.Standard, ["email"]),
        ["not an email"] = ("bob.example.com", WorkspaceRole.Standard, ["email"]),
        ["two at signs"] = ("bob@@example.com", WorkspaceRole.Standard, ["email"]),
        ["no role"] = ("bob@example.com", WorkspaceRole.Unspecified, ["role"]),
        ["the Owner role"] = ("bob@example.com", WorkspaceRole.Owner, ["role"]),
        ["an undefined role"] = ("bob@example.com", (WorkspaceRole)42, ["role"]),
        ["both wrong"] = ("bob", WorkspaceRole.Owner, ["email", "role"]),
    };

    [Theory]
    [MemberData(nameof(BadAdds))]
    public async Task AddMember_names_each_invalid_field_and_adds_nobody(string @case)
    {
        var (email, role, fields) = BadAddCases[@case];
        var ws = await host.CreateWorkspaceAsync();

        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = ws.Id, Email = email, Role = role }), fields);

        Assert.Equal(4, (await host.MembersAsync(ws.Id)).Count);
    }

    [Fact]
    public async Task AddMember_refuses_an_unknown_email_and_an_existing_member()
    {
        var ws = await host.CreateWorkspaceAsync();
        var api = ws.Owner.Api.Workspaces;

        var nobody = $"nobody.{Guid.NewGuid():N}@example.com";
        var unknown = await RpcAssert.Fails(StatusCode.NotFound, () => api.AddMemberAsync(new AddMemberRequest
        {
            WorkspaceId = ws.Id, Email = nobody, Role = WorkspaceRole.Standard,
        }), "USER_NOT_FOUND");
        // It says what to do, and names the address as an address.
        Assert.Equal($"No console account has the e-mail address {nobody}; ask them to sign up first, then add them.", unknown.Status.Detail);
        Assert.Equal(nobody, unknown.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Metadata["email"]);
        await RpcAssert.Fails(StatusCode.AlreadyExists, () => api.AddMemberAsync(new AddMemberRequest
        {
            WorkspaceId = ws.Id, Email = ws.Standard.Email, Role = WorkspaceRole.ReadOnly,
        }), "MEMBER_EXISTS");
        // Adding the Owner again does not demote the Owner.
        await RpcAssert.Fails(StatusCode.AlreadyExists, () => api.AddMemberAsync(new AddMemberRequest
        {
            WorkspaceId = ws.Id, Email = ws.Owner.Email, Role = WorkspaceRole.ReadOnly,
        }), "MEMBER_EXISTS");

        Assert.Equal(WorkspaceRole.Standard, await host.RoleOfAsync(ws.Id, ws.Standard.Id));
        Assert.Equal(WorkspaceRole.Owner, await host.RoleOfAsync(ws.Id, ws.Owner.Id));
    }

    // ---- UpdateMemberRole ----

    [Theory]
    [InlineData(WorkspaceRole.Standard, WorkspaceRole.ReadOnly)]
    [InlineData(WorkspaceRole.ReadOnly, WorkspaceRole.Standard)]
    [InlineData(WorkspaceRole.Standard, WorkspaceRole.Administrator)]
    [InlineData(WorkspaceRole.Administrator, WorkspaceRole.ReadOnly)]
    public async Task The_Owner_changes_any_role_but_Owner(WorkspaceRole from, WorkspaceRole to)
    {
        var ws = await host.CreateWorkspaceAsync();
        var member = await host.AddNewMemberAsync(ws, from);

        var updated = (await ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = member.Id, Role = to })).Member;

        Assert.Equal((member.Id, to), (updated.UserId, updated.Role));
        Assert.Equal(to, await host.RoleOfAsync(ws.Id, member.Id));
    }

    [Fact]
    public async Task A_new_role_takes_effect_on_the_next_call()
    {
        var ws = await host.CreateWorkspaceAsync();
        var rename = new UpdateWorkspaceRequest
        {
            WorkspaceId = ws.Id, Workspace = new Workspace { Name = "renamed" }, UpdateMask = new() { Paths = { "name" } },
        };
        await RpcAssert.Denied(() => ws.Standard.Api.Workspaces.UpdateWorkspaceAsync(rename));

        await ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = ws.Standard.Id, Role = WorkspaceRole.Administrator });
        await ws.Standard.Api.Workspaces.UpdateWorkspaceAsync(rename);

        await ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = ws.Administrator.Id, Role = WorkspaceRole.ReadOnly });
        await RpcAssert.Denied(() => ws.Administrator.Api.Workspaces.UpdateWorkspaceAsync(rename));
    }

    [Fact]
    public async Task An_Administrator_changes_Standard_and_Read_only_members_but_never_an_Administrator()
    {
        var ws = await host.CreateWorkspaceAsync();
        var otherAdmin = await host.AddNewMemberAsync(ws, WorkspaceRole.Administrator, "otheradmin");
        var api = ws.Administrator.Api.Workspaces;

        await api.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = ws.Standard.Id, Role = WorkspaceRole.ReadOnly });
        Assert.Equal(WorkspaceRole.ReadOnly, await host.RoleOfAsync(ws.Id, ws.Standard.Id));

        // Grant, change or take away Administrator: the Owner's alone, even for an Administrator's own role.
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => api.UpdateMemberRoleAsync(new UpdateMemberRoleRequest
        {
            WorkspaceId = ws.Id, UserId = ws.ReadOnly.Id, Role = WorkspaceRole.Administrator,
        }), "ROLE_NOT_PERMITTED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => api.UpdateMemberRoleAsync(new UpdateMemberRoleRequest
        {
            WorkspaceId = ws.Id, UserId = otherAdmin.Id, Role = WorkspaceRole.Standard,
        }), "ROLE_NOT_PERMITTED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => api.UpdateMemberRoleAsync(new UpdateMemberRoleRequest
        {
            WorkspaceId = ws.Id, UserId = ws.Administrator.Id, Role = WorkspaceRole.ReadOnly,
        }), "ROLE_NOT_PERMITTED");

        Assert.Equal(WorkspaceRole.ReadOnly, await host.RoleOfAsync(ws.Id, ws.ReadOnly.Id));
        Assert.Equal(WorkspaceRole.Administrator, await host.RoleOfAsync(ws.Id, otherAdmin.Id));
        Assert.Equal(WorkspaceRole.Administrator, await host.RoleOfAsync(ws.Id, ws.Administrator.Id));
    }

    [Fact]
    public async Task The_Owners_role_changes_only_by_transfer()
    {
        var ws = await host.CreateWorkspaceAsync();

        await RpcAssert.Precondition(() => ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest
        {
            WorkspaceId = ws.Id, UserId = ws.Owner.Id, Role = WorkspaceRole.Administrator,
        }), "OWNER_ROLE_FIXED");
        await RpcAssert.Precondition(() => ws.Administrator.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest
        {
            WorkspaceId = ws.Id, UserId = ws.Owner.Id, Role = WorkspaceRole.ReadOnly,
        }), "OWNER_ROLE_FIXED");
        // Nobody is made a second Owner this way.
        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest
        {
            WorkspaceId = ws.Id, UserId = ws.Standard.Id, Role = WorkspaceRole.Owner,
        }), "role");

        Assert.Single(await host.MembersAsync(ws.Id), m => m.Role == WorkspaceRole.Owner);
        Assert.Equal(WorkspaceRole.Owner, await host.RoleOfAsync(ws.Id, ws.Owner.Id));
    }

    [Theory]
    [InlineData("", WorkspaceRole.Standard, new[] { "user_id" })]
    [InlineData("bob", WorkspaceRole.Standard, new[] { "user_id" })]
    [InlineData("ws_01m880w5ms9gym4fv2kr3mm40b", WorkspaceRole.Standard, new[] { "user_id" })]
    [InlineData("usr_01m880w5ms9gym4fv2kr3mm40b", WorkspaceRole.Unspecified, new[] { "role" })]
    [InlineData("usr_01m880w5ms9gym4fv2kr3mm40b", (WorkspaceRole)9, new[] { "role" })]
    [InlineData("", WorkspaceRole.Owner, new[] { "user_id", "role" })]
    public async Task UpdateMemberRole_names_each_invalid_field(string userId, WorkspaceRole role, string[] fields)
    {
        var ws = await host.CreateWorkspaceAsync();
        var before = await host.SnapshotAsync(ws.Id);

        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = userId, Role = role }), fields);

        Assert.Equal(before, await host.SnapshotAsync(ws.Id));
    }

    [Fact]
    public async Task UpdateMemberRole_of_a_non_member_is_not_found()
    {
        var ws = await host.CreateWorkspaceAsync();
        await RpcAssert.Fails(StatusCode.NotFound, () => ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest
        {
            WorkspaceId = ws.Id, UserId = ws.Outsider.Id, Role = WorkspaceRole.Standard,
        }), "MEMBER_NOT_FOUND");
        Assert.Null(await host.RoleOfAsync(ws.Id, ws.Outsider.Id));
    }

    // ---- RemoveMember ----

    [Theory]
    [InlineData("Owner", WorkspaceRole.Standard)]
    [InlineData("Owner", WorkspaceRole.ReadOnly)]
    [InlineData("Owner", WorkspaceRole.Administrator)]
    [InlineData("Administrator", WorkspaceRole.Standard)]
    [InlineData("Administrator", WorkspaceRole.ReadOnly)]
    public async Task A_manager_removes_a_member_who_then_cannot_see_the_workspace(string remover, WorkspaceRole role)
    {
        var ws = await host.CreateWorkspaceAsync();
        var member = await host.AddNewMemberAsync(ws, role, "removed");
        var api = (remover == "Owner" ? ws.Owner : ws.Administrator).Api.Workspaces;

        await api.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = member.Id });

        Assert.Null(await host.RoleOfAsync(ws.Id, member.Id));
        await RpcAssert.Fails(StatusCode.NotFound,
            () => member.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id }), "WORKSPACE_NOT_FOUND");
        Assert.Empty((await member.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest())).Workspaces);
    }

    [Theory]
    [InlineData(WorkspaceRole.Administrator)]
    [InlineData(WorkspaceRole.Standard)]
    [InlineData(WorkspaceRole.ReadOnly)]
    public async Task Any_member_but_the_Owner_may_leave(WorkspaceRole role)
    {
        var ws = await host.CreateWorkspaceAsync();
        var leaver = await host.AddNewMemberAsync(ws, role, "leaver");

        await leaver.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = leaver.Id });

        Assert.Null(await host.RoleOfAsync(ws.Id, leaver.Id));
        await RpcAssert.NotFound(() => leaver.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id }));
        // Having left, the same call is now a non-member's: NOT_FOUND.
        await RpcAssert.Fails(StatusCode.NotFound,
            () => leaver.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = leaver.Id }), "WORKSPACE_NOT_FOUND");
    }

    [Fact]
    public async Task The_Owner_can_be_removed_by_nobody()
    {
        var ws = await host.CreateWorkspaceAsync();
        var remove = new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = ws.Owner.Id };

        await RpcAssert.Precondition(() => ws.Owner.Api.Workspaces.RemoveMemberAsync(remove), "OWNER_CANNOT_LEAVE");
        await RpcAssert.Precondition(() => ws.Administrator.Api.Workspaces.RemoveMemberAsync(remove), "OWNER_CANNOT_LEAVE");
        await RpcAssert.Precondition(() => host.Operator.Workspaces.RemoveMemberAsync(remove), "OWNER_CANNOT_LEAVE");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => ws.Standard.Api.Workspaces.RemoveMemberAsync(remove), "ROLE_NOT_PERMITTED");

        Assert.Single(await host.MembersAsync(ws.Id), m => m.Role == WorkspaceRole.Owner && m.UserId == ws.Owner.Id);
    }

    [Fact]
    public async Task An_Administrator_cannot_remove_another_Administrator()
    {
        var ws = await host.CreateWorkspaceAsync();
        var otherAdmin = await host.AddNewMemberAsync(ws, WorkspaceRole.Administrator, "otheradmin");

        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => ws.Administrator.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = otherAdmin.Id }), "ROLE_NOT_PERMITTED");
        Assert.Equal(WorkspaceRole.Administrator, await host.RoleOfAsync(ws.Id, otherAdmin.Id));
    }

    [Fact]
    public async Task RemoveMember_validates_the_user_and_finds_only_members()
    {
        var ws = await host.CreateWorkspaceAsync();
        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id }), "user_id");
        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = "usr_x" }), "user_id");
        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { UserId = "usr_x" }), "workspace_id", "user_id");
        await RpcAssert.Fails(StatusCode.NotFound,
            () => ws.Owner.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = ws.Outsider.Id }), "MEMBER_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.NotFound,
            () => ws.Owner.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = WorkspaceSteps.UnknownUserId }), "MEMBER_NOT_FOUND");
        Assert.Equal(4, (await host.MembersAsync(ws.Id)).Count);
    }

    // ---- TransferOwnership ----

    [Fact]
    public async Task TransferOwnership_makes_a_member_the_one_Owner_and_the_former_Owner_an_Administrator()
    {
        var ws = await host.CreateWorkspaceAsync();

        var transferred = (await ws.Owner.Api.Workspaces.TransferOwnershipAsync(new TransferOwnershipRequest
        {
            WorkspaceId = ws.Id, NewOwnerUserId = ws.ReadOnly.Id,
        })).Workspace;

        Assert.Equal(ws.ReadOnly.Id, transferred.OwnerUserId);
        Assert.Equal(WorkspaceRole.Administrator, transferred.CallerRole);
        var members = await host.MembersAsync(ws.Id);
        Assert.Equal(ws.ReadOnly.Id, Assert.Single(members, m => m.Role == WorkspaceRole.Owner).UserId);
        Assert.Equal(WorkspaceRole.Administrator, members.Single(m => m.UserId == ws.Owner.Id).Role);

        // The powers moved with it.
        await RpcAssert.Denied(() => ws.Owner.Api.Workspaces.TransferOwnershipAsync(new TransferOwnershipRequest { WorkspaceId = ws.Id, NewOwnerUserId = ws.Owner.Id }));
        await RpcAssert.Denied(() => ws.Owner.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = ws.Id }));
        var back = (await ws.ReadOnly.Api.Workspaces.TransferOwnershipAsync(new TransferOwnershipRequest { WorkspaceId = ws.Id, NewOwnerUserId = ws.Owner.Id })).Workspace;
        Assert.Equal(ws.Owner.Id, back.OwnerUserId);
        Assert.Single(await host.MembersAsync(ws.Id), m => m.Role == WorkspaceRole.Owner);
    }

    [Fact]
    public async Task The_operator_may_not_transfer_ownership_for_the_Owner()
    {
        var ws = await host.CreateWorkspaceAsync();
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => host.Operator.Workspaces.TransferOwnershipAsync(new TransferOwnershipRequest
        {
            WorkspaceId = ws.Id, NewOwnerUserId = ws.Administrator.Id,
        }), "OWNER_REQUIRED");
        Assert.Equal(ws.Owner.Id, (await host.WorkspaceAsync(ws.Id)).OwnerUserId);
        Assert.Single(await host.MembersAsync(ws.Id), m => m.Role == WorkspaceRole.Owner);
    }

    [Fact]
    public async Task TransferOwnership_refuses_the_Owner_a_non_member_and_a_malformed_id()
    {
        var ws = await host.CreateWorkspaceAsync();
        var api = ws.Owner.Api.Workspaces;

        await RpcAssert.Precondition(() => api.TransferOwnershipAsync(new TransferOwnershipRequest { WorkspaceId = ws.Id, NewOwnerUserId = ws.Owner.Id }), "ALREADY_OWNER");
        await RpcAssert.Fails(StatusCode.NotFound,
            () => api.TransferOwnershipAsync(new TransferOwnershipRequest { WorkspaceId = ws.Id, NewOwnerUserId = ws.Outsider.Id }), "MEMBER_NOT_FOUND");
        await RpcAssert.InvalidFields(() => api.TransferOwnershipAsync(new TransferOwnershipRequest { WorkspaceId = ws.Id }), "new_owner_user_id");
        await RpcAssert.InvalidFields(() => api.TransferOwnershipAsync(new TransferOwnershipRequest { WorkspaceId = ws.Id, NewOwnerUserId = ws.Id }), "new_owner_user_id");

        Assert.Equal(ws.Owner.Id, (await host.WorkspaceAsync(ws.Id)).OwnerUserId);
        Assert.Single(await host.MembersAsync(ws.Id), m => m.Role == WorkspaceRole.Owner);
    }
}
