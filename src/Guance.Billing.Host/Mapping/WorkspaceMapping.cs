using Guance.Billing.Workspaces;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Workspaces, sites, members and retention as messages of the contract.</summary>
public static class WorkspaceMapping
{
    public static V1.Site ToMessage(this Site site) => new()
    {
        Code = site.Code,
        DisplayName = site.DisplayName,
        CloudProvider = (V1.CloudProvider)site.CloudProvider,
        TimeZone = site.TimeZoneId,
        PriceRegion = (V1.PriceRegion)site.PriceRegion,
    };

    public static V1.Workspace ToMessage(this WorkspaceDetails details)
    {
        var workspace = details.Workspace;
        var message = new V1.Workspace
        {
            WorkspaceId = workspace.Id,
            Name = workspace.Name,
            Description = workspace.Description,
            SiteCode = workspace.SiteCode,
            ActivationChannel = (V1.ActivationChannel)workspace.ActivationChannel,
            Plan = (V1.Plan)workspace.Plan,
            State = (V1.WorkspaceState)workspace.State,
            OwnerUserId = workspace.OwnerUserId,
            CallerRole = details.CallerRole is { } role ? (V1.WorkspaceRole)role : V1.WorkspaceRole.Unspecified,
            CreateTime = workspace.CreatedAt.ToTimestamp(),
            UpgradeTime = workspace.UpgradedAt.ToTimestamp(),
            DissolveTime = workspace.DissolvedAt.ToTimestamp(),
        };
        message.Retentions.Add(details.Retentions.Select(ToMessage));
        return message;
    }

    public static V1.Retention ToMessage(this RetentionView retention)
    {
        var message = new V1.Retention
        {
            DataType = (V1.DataType)retention.DataType,
            Days = retention.Days,
            PendingDays = retention.PendingDays ?? 0,
            PendingEffectiveTime = retention.PendingEffectiveFrom.ToTimestamp(),
        };
        message.AllowedDays.Add(RetentionPolicy.AllowedDays(retention.DataType));
        return message;
    }

    public static V1.Member ToMessage(this MemberDetails details) => new()
    {
        UserId = details.Member.UserId,
        Email = details.Email,
        DisplayName = details.DisplayName,
        Role = (V1.WorkspaceRole)details.Member.Role,
        JoinTime = details.Member.JoinedAt.ToTimestamp(),
    };
}
