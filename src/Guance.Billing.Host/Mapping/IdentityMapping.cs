using Guance.Billing.Identity;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Console users and their tokens as messages of the contract.</summary>
public static class IdentityMapping
{
    public static V1.User ToMessage(this User user) => new()
    {
        UserId = user.Id,
        Email = user.Email,
        DisplayName = user.DisplayName,
        CreateTime = user.CreatedAt.ToTimestamp(),
    };

    public static V1.ApiToken ToApiToken(this AccessToken token) => new()
    {
        ApiTokenId = token.Id,
        DisplayName = token.DisplayName,
        CreateTime = token.CreatedAt.ToTimestamp(),
        ExpireTime = token.ExpiresAt.ToTimestamp(),
        RevokeTime = token.RevokedAt.ToTimestamp(),
    };

    public static V1.CollectorToken ToCollectorToken(this AccessToken token) => new()
    {
        CollectorTokenId = token.Id,
        WorkspaceId = token.SubjectId,
        DisplayName = token.DisplayName,
        CreateTime = token.CreatedAt.ToTimestamp(),
        RevokeTime = token.RevokedAt.ToTimestamp(),
    };
}
