using Grpc.Core;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.V1;
using Guance.Billing.Workspaces;
using Domain = Guance.Billing.Workspaces;

namespace Guance.Billing.Host.Services;

/// <summary>WorkspaceService: sites, workspaces, members, retention, collector tokens.</summary>
public sealed class WorkspaceGrpcService(
    WorkspaceManager workspaces,
    MemberManager members,
    RetentionManager retention,
    CollectorTokenManager collectorTokens) : WorkspaceService.WorkspaceServiceBase
{
    public override Task<ListSitesResponse> ListSites(ListSitesRequest request, ServerCallContext context)
    {
        var response = new ListSitesResponse();
        response.Sites.Add(Sites.All.Select(s => s.ToMessage()));
        return Task.FromResult(response);
    }

    public override async Task<CreateWorkspaceResponse> CreateWorkspace(CreateWorkspaceRequest request, ServerCallContext context)
    {
        var created = await workspaces.CreateAsync(context.GetCaller(), request.Name, request.SiteCode,
            (Domain.ActivationChannel)request.ActivationChannel, request.Description, context.CancellationToken);
        return new CreateWorkspaceResponse { Workspace = created.ToMessage() };
    }

    public override async Task<GetWorkspaceResponse> GetWorkspace(GetWorkspaceRequest request, ServerCallContext context)
    {
        var workspace = await workspaces.GetAsync(context.GetCaller(), request.WorkspaceId, context.CancellationToken);
        return new GetWorkspaceResponse { Workspace = workspace.ToMessage() };
    }

    public override async Task<ListWorkspacesResponse> ListWorkspaces(ListWorkspacesRequest request, ServerCallContext context)
    {
        var (page, next) = await workspaces.ListAsync(context.GetCaller(), request.PageSize, request.PageToken, request.ShowDissolved, context.CancellationToken);
        var response = new ListWorkspacesResponse { NextPageToken = next };
        response.Workspaces.Add(page.Select(w => w.ToMessage()));
        return response;
    }

    public override async Task<UpdateWorkspaceResponse> UpdateWorkspace(UpdateWorkspaceRequest request, ServerCallContext context)
    {
        var updated = await workspaces.UpdateAsync(context.GetCaller(), request.WorkspaceId, request.Workspace?.Name, request.Workspace?.Description,
            request.UpdateMask?.Paths.ToList() ?? [], context.CancellationToken);
        return new UpdateWorkspaceResponse { Workspace = updated.ToMessage() };
    }

    public override async Task<DissolveWorkspaceResponse> DissolveWorkspace(DissolveWorkspaceRequest request, ServerCallContext context)
    {
        var dissolved = await workspaces.DissolveAsync(context.GetCaller(), request.WorkspaceId, context.CancellationToken);
        return new DissolveWorkspaceResponse { Workspace = dissolved.ToMessage() };
    }

    public override async Task<ListMembersResponse> ListMembers(ListMembersRequest request, ServerCallContext context)
    {
        var (page, next) = await members.ListAsync(context.GetCaller(), request.WorkspaceId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListMembersResponse { NextPageToken = next };
        response.Members.Add(page.Select(m => m.ToMessage()));
        return response;
    }

    public override async Task<AddMemberResponse> AddMember(AddMemberRequest request, ServerCallContext context)
    {
        var member = await members.AddAsync(context.GetCaller(), request.WorkspaceId, request.Email,
            (Domain.WorkspaceRole)request.Role, context.CancellationToken);
        return new AddMemberResponse { Member = member.ToMessage() };
    }

    public override async Task<UpdateMemberRoleResponse> UpdateMemberRole(UpdateMemberRoleRequest request, ServerCallContext context)
    {
        var member = await members.UpdateRoleAsync(context.GetCaller(), request.WorkspaceId, request.UserId,
            (Domain.WorkspaceRole)request.Role, context.CancellationToken);
        return new UpdateMemberRoleResponse { Member = member.ToMessage() };
    }

    public override async Task<RemoveMemberResponse> RemoveMember(RemoveMemberRequest request, ServerCallContext context)
    {
        await members.RemoveAsync(context.GetCaller(), request.WorkspaceId, request.UserId, context.CancellationToken);
        return new RemoveMemberResponse();
    }

    public override async Task<TransferOwnershipResponse> TransferOwnership(TransferOwnershipRequest request, ServerCallContext context)
    {
        var workspace = await workspaces.TransferOwnershipAsync(context.GetCaller(), request.WorkspaceId, request.NewOwnerUserId, context.CancellationToken);
        return new TransferOwnershipResponse { Workspace = workspace.ToMessage() };
    }

    public override async Task<UpdateRetentionResponse> UpdateRetention(UpdateRetentionRequest request, ServerCallContext context)
    {
        var update = await retention.UpdateAsync(context.GetCaller(), request.WorkspaceId,
            (Domain.DataType)request.DataType, request.Days, context.CancellationToken);
        return new UpdateRetentionResponse
        {
            Retention = update.Retention.ToMessage(),
            EffectiveTime = update.EffectiveFrom.ToTimestamp(),
            Immediate = update.Immediate,
        };
    }

    public override async Task<CreateCollectorTokenResponse> CreateCollectorToken(CreateCollectorTokenRequest request, ServerCallContext context)
    {
        var (token, bearer) = await collectorTokens.CreateAsync(context.GetCaller(), request.WorkspaceId, request.DisplayName, context.CancellationToken);
        return new CreateCollectorTokenResponse { CollectorToken = token.ToCollectorToken(), Token = bearer };
    }

    public override async Task<ListCollectorTokensResponse> ListCollectorTokens(ListCollectorTokensRequest request, ServerCallContext context)
    {
        var (page, next) = await collectorTokens.ListAsync(context.GetCaller(), request.WorkspaceId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListCollectorTokensResponse { NextPageToken = next };
        response.CollectorTokens.Add(page.Select(t => t.ToCollectorToken()));
        return response;
    }

    public override async Task<RevokeCollectorTokenResponse> RevokeCollectorToken(RevokeCollectorTokenRequest request, ServerCallContext context)
    {
        var token = await collectorTokens.RevokeAsync(context.GetCaller(), request.WorkspaceId, request.CollectorTokenId, context.CancellationToken);
        return new RevokeCollectorTokenResponse { CollectorToken = token.ToCollectorToken() };
    }
}
