using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Workspaces;

/// <summary>ListSites, CreateWorkspace, GetWorkspace, ListWorkspaces, UpdateWorkspace, DissolveWorkspace.</summary>
public sealed class WorkspaceLifecycleTests(BillingHost host) : IClassFixture<BillingHost>
{
    // ---- ListSites ----

    [Theory]
    [InlineData("cn1", "China 1 (Hangzhou)", CloudProvider.AlibabaCloud, "Asia/Shanghai", PriceRegion.Cn)]
    [InlineData("cn2", "China 2 (Ningxia)", CloudProvider.Aws, "Asia/Shanghai", PriceRegion.Cn)]
    [InlineData("cn4", "China 4 (Guangzhou)", CloudProvider.HuaweiCloud, "Asia/Shanghai", PriceRegion.Cn)]
    [InlineData("cn6", "China 6 (Hong Kong)", CloudProvider.AlibabaCloud, "Asia/Hong_Kong", PriceRegion.Intl)]
    [InlineData("us1", "Overseas 1 (Oregon)", CloudProvider.Aws, "America/Los_Angeles", PriceRegion.Intl)]
    [InlineData("eu1", "Europe 1 (Frankfurt)", CloudProvider.Aws, "Europe/Berlin", PriceRegion.Intl)]
    [InlineData("ap1", "Asia-Pacific 1 (Singapore)", CloudProvider.Aws, "Asia/Singapore", PriceRegion.Intl)]
    public async Task ListSites_needs_no_token_and_describes_each_site(string code, string name, CloudProvider cloud, string timeZone, PriceRegion prices)
    {
        var sites = (await host.Api().Workspaces.ListSitesAsync(new ListSitesRequest())).Sites;

        Assert.Equal(7, sites.Count);
        Assert.Equal(new Site { Code = code, DisplayName = name, CloudProvider = cloud, TimeZone = timeZone, PriceRegion = prices }, Assert.Single(sites, s => s.Code == code));
    }

    [Fact]
    public async Task ListSites_refuses_a_token_that_does_not_work()
    {
        var user = await host.SignUpAsync("sites");
        var revoked = host.Api(await user.RevokedTokenOfAsync());
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => revoked.Workspaces.ListSitesAsync(new ListSitesRequest()), "TOKEN_REVOKED");
        await user.Api.Workspaces.ListSitesAsync(new ListSitesRequest());
    }

    // ---- CreateWorkspace ----

    [Fact]
    public async Task CreateWorkspace_makes_the_caller_Owner_of_an_experience_workspace_with_default_retention()
    {
        var user = await host.SignUpAsync("creator");
        var workspace = (await user.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "  Production  ",
            SiteCode = "us1",
            ActivationChannel = ActivationChannel.AwsMarketplace,
            Description = "prod hosts",
        })).Workspace;

        Assert.StartsWith("ws_", workspace.WorkspaceId);
        Assert.Equal("Production", workspace.Name);
        Assert.Equal("prod hosts", workspace.Description);
        Assert.Equal("us1", workspace.SiteCode);
        Assert.Equal(ActivationChannel.AwsMarketplace, workspace.ActivationChannel);
        Assert.Equal(Plan.Experience, workspace.Plan);
        Assert.Equal(WorkspaceState.Active, workspace.State);
        Assert.Equal(user.Id, workspace.OwnerUserId);
        Assert.Equal(WorkspaceRole.Owner, workspace.CallerRole);
        Assert.Equal(host.Clock.GetUtcNow(), workspace.CreateTime.ToDateTimeOffset());
        Assert.Null(workspace.UpgradeTime);
        Assert.Null(workspace.DissolveTime);
        Assert.Equal([DataType.Metrics, DataType.Logs, DataType.Apm, DataType.Rum], workspace.Retentions.Select(r => r.DataType));
        Assert.All(workspace.Retentions, r =>
        {
            Assert.Equal(7, r.Days);
            Assert.Equal(0, r.PendingDays);
            Assert.Null(r.PendingEffectiveTime);
        });
        Assert.Equal([3, 7, 14, 30, 180, 360], workspace.Retentions[0].AllowedDays);
        Assert.Equal([3, 7, 14, 30, 60], workspace.Retentions[1].AllowedDays);

        var member = Assert.Single(await host.MembersAsync(workspace.WorkspaceId));
        Assert.Equal((user.Id, WorkspaceRole.Owner), (member.UserId, member.Role));
        Assert.Equal(workspace, (await user.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspace.WorkspaceId })).Workspace);
    }

    public static TheoryData<string> BadCreates => new(BadCreateCases.Keys);

    private static readonly Dictionary<string, (CreateWorkspaceRequest Request, string[] Fields)> BadCreateCases = new()
    {
        ["nothing set"] = (new CreateWorkspaceRequest(), ["name", "site_code", "activation_channel"]),
        ["blank name"] = (Create(name: "   "), ["name"]),
        ["name of 65 characters"] = (Create(name: new string('n', 65)), ["name"]),
        ["name with a control character"] = (Create(name: "prod\u0007"), ["name"]),
        ["unknown site"] = (Create(site: "cn3"), ["site_code"]),
        ["site code in capitals"] = (Create(site: "CN1"), ["site_code"]),
        ["undefined activation channel"] = (Create(channel: (ActivationChannel)99), ["activation_channel"]),
        // A marketplace activates workspaces only on the sites its cloud operates.
        ["AWS marketplace on an Alibaba Cloud site"] = (Create(site: "cn1", channel: ActivationChannel.AwsMarketplace), ["activation_channel"]),
        ["Huawei Cloud marketplace on an AWS site"] = (Create(site: "us1", channel: ActivationChannel.HuaweiCloudMarketplace), ["activation_channel"]),
        ["Alibaba Cloud marketplace on China 4"] = (Create(site: "cn4", channel: ActivationChannel.AlibabaCloudMarketplace), ["activation_channel"]),
        ["AWS marketplace on China 4"] = (Create(site: "cn4", channel: ActivationChannel.AwsMarketplace), ["activation_channel"]),
        ["description of 513 characters"] = (Create(description: new string('d', 513)), ["description"]),
        ["everything wrong"] = (Create(name: "", site: "mars", channel: ActivationChannel.Unspecified, description: new string('d', 513)),
            ["name", "site_code", "activation_channel", "description"]),
    };

    private static CreateWorkspaceRequest Create(string name = "ok", string site = "cn1", ActivationChannel channel = ActivationChannel.OfficialWebsite, string description = "") =>
        new() { Name = name, SiteCode = site, ActivationChannel = channel, Description = description };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task CreateWorkspace_names_each_invalid_field_and_creates_nothing(string @case)
    {
        var (request, fields) = BadCreateCases[@case];
        var user = await host.SignUpAsync("badcreate");

        await RpcAssert.InvalidFields(() => user.Api.Workspaces.CreateWorkspaceAsync(request), fields);

        Assert.Empty((await user.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { ShowDissolved = true })).Workspaces);
    }

    [Fact]
    public async Task CreateWorkspace_needs_a_console_user()
    {
        var user = await host.SignUpAsync("notoken");
        var request = Create();
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Workspaces.CreateWorkspaceAsync(request), "TOKEN_MISSING");
        var revoked = host.Api(await user.RevokedTokenOfAsync());
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => revoked.Workspaces.CreateWorkspaceAsync(request), "TOKEN_REVOKED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => host.Operator.Workspaces.CreateWorkspaceAsync(request), "CONSOLE_USER_REQUIRED");
        // Authentication comes before validation: an anonymous bad request learns nothing about its fields.
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest()), "TOKEN_MISSING");
    }

    // ---- GetWorkspace ----

    [Fact]
    public async Task GetWorkspace_shows_each_member_their_own_role_and_the_operator_none()
    {
        var ws = await host.CreateWorkspaceAsync();
        foreach (var (user, role) in new[] { (ws.Owner, WorkspaceRole.Owner), (ws.Administrator, WorkspaceRole.Administrator), (ws.Standard, WorkspaceRole.Standard), (ws.ReadOnly, WorkspaceRole.ReadOnly) })
        {
            var seen = (await user.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id })).Workspace;
            Assert.Equal(role, seen.CallerRole);
            Assert.Equal(ws.Workspace.Name, seen.Name);
        }
        Assert.Equal(WorkspaceRole.Unspecified, (await host.WorkspaceAsync(ws.Id)).CallerRole);
    }

    [Fact]
    public async Task GetWorkspace_answers_a_non_member_exactly_as_for_a_workspace_that_does_not_exist()
    {
        var ws = await host.CreateWorkspaceAsync();

        var hidden = await RpcAssert.Fails(StatusCode.NotFound,
            () => ws.Outsider.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id }), "WORKSPACE_NOT_FOUND");
        var missing = await RpcAssert.Fails(StatusCode.NotFound,
            () => ws.Outsider.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = WorkspaceSteps.UnknownWorkspaceId }), "WORKSPACE_NOT_FOUND");

        // Same code, reason, details and wording; only the id the caller sent differs.
        Assert.Equal(missing.Status.Detail.Replace(WorkspaceSteps.UnknownWorkspaceId, ws.Id), hidden.Status.Detail);
        Assert.Equal(
            missing.GetRpcStatus()!.Details.Select(d => d.TypeUrl),
            hidden.GetRpcStatus()!.Details.Select(d => d.TypeUrl));
        Assert.Equal(ws.Id, hidden.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["workspace_id"]);
        Assert.Equal(ws.Id, hidden.GetRpcStatus()!.GetDetail<ResourceInfo>().ResourceName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ws_short")]
    [InlineData("usr_01m880w5ms9gym4fv2kr3mm40b")]
    [InlineData("WS_01M880W5MS9GYM4FV2KR3MM40B")]
    public async Task GetWorkspace_refuses_a_malformed_workspace_id(string id)
    {
        var user = await host.SignUpAsync("badid");
        await RpcAssert.InvalidFields(() => user.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = id }), "workspace_id");
    }

    // ---- ListWorkspaces ----

    [Fact]
    public async Task ListWorkspaces_pages_through_the_callers_workspaces_oldest_first()
    {
        var user = await host.SignUpAsync("lister");
        var created = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            created.Add((await user.Api.Workspaces.CreateWorkspaceAsync(Create(name: $"ws {i}"))).Workspace.WorkspaceId);
        }
        // A workspace of someone else that the user belongs to is listed too; one the user does not belong to is not.
        var other = await host.CreateWorkspaceAsync();
        await other.Owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = other.Id, Email = user.Email, Role = WorkspaceRole.ReadOnly });
        await host.CreateWorkspaceAsync();

        var listed = new List<Workspace>();
        var pageToken = "";
        var pages = 0;
        do
        {
            var page = await user.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageSize = 2, PageToken = pageToken });
            Assert.InRange(page.Workspaces.Count, 1, 2);
            listed.AddRange(page.Workspaces);
            pageToken = page.NextPageToken;
            pages++;
        }
        while (pageToken != "");

        Assert.Equal(3, pages);
        Assert.Equal([.. created, other.Id], listed.Select(w => w.WorkspaceId));
        Assert.Equal([.. created.Select(_ => WorkspaceRole.Owner), WorkspaceRole.ReadOnly], listed.Select(w => w.CallerRole));
        var all = await user.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest());
        Assert.Equal(listed, all.Workspaces);
        Assert.Equal("", all.NextPageToken);
    }

    [Fact]
    public async Task ListWorkspaces_shows_dissolved_workspaces_only_when_asked()
    {
        var user = await host.SignUpAsync("dissolver");
        var kept = (await user.Api.Workspaces.CreateWorkspaceAsync(Create(name: "kept"))).Workspace.WorkspaceId;
        var gone = (await user.Api.Workspaces.CreateWorkspaceAsync(Create(name: "gone"))).Workspace.WorkspaceId;
        await user.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = gone });

        var active = await user.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest());
        Assert.Equal([kept], active.Workspaces.Select(w => w.WorkspaceId));

        var everything = await user.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { ShowDissolved = true });
        Assert.Equal([(kept, WorkspaceState.Active), (gone, WorkspaceState.Dissolved)], everything.Workspaces.Select(w => (w.WorkspaceId, w.State)));
    }

    [Fact]
    public async Task ListWorkspaces_shows_the_operator_every_workspace()
    {
        var first = await host.CreateWorkspaceAsync();
        var second = await host.CreateWorkspaceAsync();

        var listed = new List<Workspace>();
        var pageToken = "";
        do
        {
            var page = await host.Operator.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageSize = 1000, PageToken = pageToken });
            listed.AddRange(page.Workspaces);
            pageToken = page.NextPageToken;
        }
        while (pageToken != "");

        Assert.Contains(listed, w => w.WorkspaceId == first.Id && w.CallerRole == WorkspaceRole.Unspecified);
        Assert.Contains(listed, w => w.WorkspaceId == second.Id);
        // A user sees neither of them.
        Assert.Empty((await first.Outsider.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest())).Workspaces);
    }

    [Fact]
    public async Task ListWorkspaces_validates_paging_and_needs_a_working_token()
    {
        var user = await host.SignUpAsync("badpages");
        var members = await host.Operator.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = (await host.CreateWorkspaceAsync()).Id, PageSize = 1 });
        await user.Api.Workspaces.CreateWorkspaceAsync(Create());
        await user.Api.Workspaces.CreateWorkspaceAsync(Create());
        var activeToken = (await user.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageSize = 1 })).NextPageToken;
        Assert.NotEqual("", activeToken);
        var workspaces = user.Api.Workspaces;

        await RpcAssert.InvalidFields(() => workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageSize = -1 }), "page_size");
        await RpcAssert.InvalidFields(() => workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageSize = 1001 }), "page_size");
        await RpcAssert.InvalidFields(() => workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageToken = "garbage" }), "page_token");
        // A token of another list, or of the same list with other filters, is refused rather than misread.
        await RpcAssert.InvalidFields(() => workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageToken = members.NextPageToken }), "page_token");
        await RpcAssert.InvalidFields(() => workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageToken = activeToken, ShowDissolved = true }), "page_token");
        await RpcAssert.InvalidFields(() => workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageSize = -5, PageToken = "garbage" }), "page_size", "page_token");

        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest()), "TOKEN_MISSING");
        var revoked = host.Api(await user.RevokedTokenOfAsync());
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => revoked.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest()), "TOKEN_REVOKED");
    }

    // ---- UpdateWorkspace ----

    [Fact]
    public async Task UpdateWorkspace_changes_exactly_the_fields_in_the_mask()
    {
        var ws = await host.CreateWorkspaceAsync();
        var api = ws.Owner.Api.Workspaces;

        var renamed = (await api.UpdateWorkspaceAsync(Update(ws.Id, new Workspace { Name = " Renamed ", Description = "not in the mask" }, "name"))).Workspace;
        Assert.Equal(("Renamed", ""), (renamed.Name, renamed.Description));

        var described = (await api.UpdateWorkspaceAsync(Update(ws.Id, new Workspace { Name = "not in the mask", Description = "Our production" }, "description"))).Workspace;
        Assert.Equal(("Renamed", "Our production"), (described.Name, described.Description));

        var both = (await api.UpdateWorkspaceAsync(Update(ws.Id, new Workspace { Name = "Both", Description = "" }, "name", "description"))).Workspace;
        Assert.Equal(("Both", ""), (both.Name, both.Description));

        // Fields outside name and description never change, whatever the message carries.
        Assert.Equal(ws.Workspace.SiteCode, both.SiteCode);
        Assert.Equal(ws.Workspace.OwnerUserId, both.OwnerUserId);
        Assert.Equal(both, (await api.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id })).Workspace);
    }

    private static UpdateWorkspaceRequest Update(string id, Workspace? values, params string[] paths)
    {
        var request = new UpdateWorkspaceRequest { WorkspaceId = id, Workspace = values };
        if (paths.Length > 0)
        {
            request.UpdateMask = new FieldMask();
            request.UpdateMask.Paths.Add(paths);
        }
        return request;
    }

    public static TheoryData<string> BadUpdates => new(BadUpdateCases.Keys);

    private static readonly Dictionary<string, (Workspace? Values, string[] Paths, string[] Fields)> BadUpdateCases = new()
    {
        ["no mask"] = (new Workspace { Name = "x" }, [], ["update_mask"]),
        ["a field that cannot change"] = (new Workspace { SiteCode = "us1" }, ["site_code"], ["update_mask"]),
        ["the plan"] = (new Workspace { Plan = Plan.Commercial }, ["plan"], ["update_mask"]),
        ["an unknown path"] = (new Workspace { Name = "x" }, ["name", "colour"], ["update_mask"]),
        ["a blank name"] = (new Workspace { Name = "  " }, ["name"], ["workspace.name"]),
        ["no workspace message"] = (null, ["name"], ["workspace.name"]),
        ["a name of 65 characters"] = (new Workspace { Name = new string('n', 65) }, ["name"], ["workspace.name"]),
        ["a description of 513 characters"] = (new Workspace { Description = new string('d', 513) }, ["description"], ["workspace.description"]),
        ["everything wrong"] = (new Workspace { Name = "", Description = new string('d', 513) }, ["name", "description", "state"],
            ["update_mask", "workspace.name", "workspace.description"]),
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task UpdateWorkspace_names_each_invalid_field_and_changes_nothing(string @case)
    {
        var (values, paths, fields) = BadUpdateCases[@case];
        var ws = await host.CreateWorkspaceAsync();
        var before = await host.SnapshotAsync(ws.Id);

        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.UpdateWorkspaceAsync(Update(ws.Id, values, paths)), fields);

        Assert.Equal(before, await host.SnapshotAsync(ws.Id));
    }

    [Fact]
    public async Task UpdateWorkspace_validates_the_request_before_it_looks_at_the_workspace()
    {
        var ws = await host.CreateWorkspaceAsync();
        // Invalid input is INVALID_ARGUMENT for anyone (validation needs no data); valid input then meets the role table.
        await RpcAssert.InvalidFields(() => ws.Outsider.Api.Workspaces.UpdateWorkspaceAsync(Update(ws.Id, new Workspace(), "name")), "workspace.name");
        await RpcAssert.InvalidFields(() => ws.Standard.Api.Workspaces.UpdateWorkspaceAsync(Update(ws.Id, new Workspace(), "name")), "workspace.name");
        await RpcAssert.Fails(StatusCode.NotFound, () => ws.Outsider.Api.Workspaces.UpdateWorkspaceAsync(Update(ws.Id, new Workspace { Name = "x" }, "name")));
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => ws.Standard.Api.Workspaces.UpdateWorkspaceAsync(Update(ws.Id, new Workspace { Name = "x" }, "name")), "ROLE_NOT_PERMITTED");
        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.UpdateWorkspaceAsync(Update("", new Workspace { Name = "x" }, "name")), "workspace_id");
    }

    // ---- DissolveWorkspace ----

    [Fact]
    public async Task A_dissolved_workspace_tells_its_agents_so_on_ReportUsage_and_when_a_stream_opens()
    {
        var ws = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(ws);
        var report = new ReportUsageRequest { CollectorId = "host-1", Sequence = 1, Records = { UsageTestKit.Record(BillingItem.Logs, 1, host.Clock.GetUtcNow()) } };
        await collector.Usage.ReportUsageAsync(report);
        await ws.Owner.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = ws.Id });

        report.Sequence = 2;
        var refused = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => collector.Usage.ReportUsageAsync(report), "WORKSPACE_DISSOLVED");
        Assert.Contains(refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations, v => v.Subject == $"workspaces/{ws.Id}");
        // A stream is refused as it opens, before its first message.
        var stream = new UsageStream(collector);
        await using (stream)
        {
            await stream.EndsWithAsync(StatusCode.FailedPrecondition, "WORKSPACE_DISSOLVED");
        }
    }

    [Fact]
    public async Task DissolveWorkspace_keeps_it_readable_and_revokes_its_collector_tokens()
    {
        var ws = await host.CreateWorkspaceAsync();
        var collector = await ws.Owner.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = ws.Id, DisplayName = "agents" });
        await host.Api(collector.Token).Workspaces.ListSitesAsync(new ListSitesRequest());
        host.Clock.Advance(TimeSpan.FromMinutes(5));

        var dissolved = (await ws.Owner.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = ws.Id })).Workspace;

        Assert.Equal(WorkspaceState.Dissolved, dissolved.State);
        Assert.Equal(host.Clock.GetUtcNow(), dissolved.DissolveTime.ToDateTimeOffset());
        // The token no longer works, and says why (README: agents stop on WORKSPACE_DISSOLVED).
        await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => host.Api(collector.Token).Workspaces.ListSitesAsync(new ListSitesRequest()), "WORKSPACE_DISSOLVED");
        var tokens = await ws.Owner.Api.Workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = ws.Id });
        Assert.Equal(dissolved.DissolveTime, Assert.Single(tokens.CollectorTokens).RevokeTime);

        // Members still read it.
        Assert.Equal(WorkspaceState.Dissolved, (await ws.ReadOnly.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id })).Workspace.State);
        Assert.Equal(4, (await ws.Standard.Api.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = ws.Id })).Members.Count);
    }

    public static TheoryData<string> Mutations => new(MutationCases.Keys);

    /// <summary>Every RPC that changes a workspace, as its Owner would call it.</summary>
    private static readonly Dictionary<string, Func<BillingHost, TestWorkspace, Task>> MutationCases = new()
    {
        ["UpdateWorkspace"] = (_, ws) => ws.Owner.Api.Workspaces.UpdateWorkspaceAsync(Update(ws.Id, new Workspace { Name = "new" }, "name")).ResponseAsync,
        ["DissolveWorkspace"] = (_, ws) => ws.Owner.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = ws.Id }).ResponseAsync,
        ["AddMember"] = async (host, ws) => await ws.Owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest
        {
            WorkspaceId = ws.Id, Email = (await host.SignUpAsync("late")).Email, Role = WorkspaceRole.Standard,
        }),
        ["UpdateMemberRole"] = (_, ws) => ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest
        {
            WorkspaceId = ws.Id, UserId = ws.Standard.Id, Role = WorkspaceRole.ReadOnly,
        }).ResponseAsync,
        ["RemoveMember"] = (_, ws) => ws.Owner.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = ws.Standard.Id }).ResponseAsync,
        ["RemoveMember (leaving)"] = (_, ws) => ws.ReadOnly.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = ws.ReadOnly.Id }).ResponseAsync,
        ["TransferOwnership"] = (_, ws) => ws.Owner.Api.Workspaces.TransferOwnershipAsync(new TransferOwnershipRequest { WorkspaceId = ws.Id, NewOwnerUserId = ws.Administrator.Id }).ResponseAsync,
        ["UpdateRetention"] = (_, ws) => ws.Owner.Api.Workspaces.UpdateRetentionAsync(new UpdateRetentionRequest { WorkspaceId = ws.Id, DataType = DataType.Logs, Days = 30 }).ResponseAsync,
        ["CreateCollectorToken"] = (_, ws) => ws.Owner.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = ws.Id, DisplayName = "late" }).ResponseAsync,
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task A_dissolved_workspace_refuses_every_change(string rpc)
    {
        var ws = await host.CreateWorkspaceAsync();
        await host.UpgradeAsync(ws);
        await ws.Owner.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = ws.Id });
        var before = await host.SnapshotAsync(ws.Id);

        var error = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => MutationCases[rpc](host, ws), "WORKSPACE_DISSOLVED");
        Assert.Contains(error.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations, v => v.Type == "WORKSPACE_DISSOLVED" && v.Subject == $"workspaces/{ws.Id}");

        Assert.Equal(before, await host.SnapshotAsync(ws.Id));
    }

    [Fact]
    public async Task DissolveWorkspace_validates_its_id()
    {
        var user = await host.SignUpAsync("dissolveid");
        await RpcAssert.InvalidFields(() => user.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = "nope" }), "workspace_id");
        await RpcAssert.Fails(StatusCode.NotFound,
            () => user.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = WorkspaceSteps.UnknownWorkspaceId }), "WORKSPACE_NOT_FOUND");
    }
}
