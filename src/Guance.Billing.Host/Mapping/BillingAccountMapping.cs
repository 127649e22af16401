using Guance.Billing.BillingAccounts;
using Guance.Billing.Identity;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Billing-center accounts, certifications, cloud accounts and bound workspaces as messages of the contract.</summary>
public static class BillingAccountMapping
{
    public static V1.BillingAccount ToMessage(this BillingAccountDetails details) => new()
    {
        BillingAccountId = details.Account.Id,
        Username = details.Account.Username,
        Email = details.Account.Email,
        DisplayName = details.Account.DisplayName,
        ContactPhone = details.Account.ContactPhone,
        Language = details.Account.Language,
        Certification = details.Certification?.ToMessage(),
        CreateTime = details.Account.CreatedAt.ToTimestamp(),
        UpdateTime = details.Account.UpdatedAt.ToTimestamp(),
    };

    public static V1.EnterpriseCertification ToMessage(this EnterpriseCertification certification) => new()
    {
        CertificationId = certification.Id,
        EnterpriseName = certification.EnterpriseName,
        TaxpayerId = certification.TaxpayerId,
        State = (V1.CertificationState)certification.State,
        SubmitTime = certification.SubmittedAt.ToTimestamp(),
        ReviewTime = certification.ReviewedAt.ToTimestamp(),
        RejectReason = certification.RejectReason ?? "",
    };

    public static V1.BillingSession ToSession(this AccessToken token) => new()
    {
        SessionId = token.Id,
        ExpireTime = token.ExpiresAt.ToTimestamp(),
    };

    public static V1.CloudAccount ToMessage(this CloudAccount cloudAccount) => new()
    {
        CloudAccountId = cloudAccount.Id,
        BillingAccountId = cloudAccount.BillingAccountId,
        Provider = (V1.CloudProvider)cloudAccount.Provider,
        ProviderAccountId = cloudAccount.ProviderAccountId,
        MarketplaceInstanceId = cloudAccount.MarketplaceInstanceId,
        DisplayName = cloudAccount.DisplayName,
        CreateTime = cloudAccount.CreatedAt.ToTimestamp(),
    };

    public static V1.BoundWorkspace ToMessage(this BoundWorkspaceView workspace) => new()
    {
        WorkspaceId = workspace.WorkspaceId,
        Name = workspace.Name,
        SiteCode = workspace.SiteCode,
        BindTime = workspace.BoundAt.ToTimestamp(),
    };

    public static V1.BindingCode ToMessage(this BindingCodeView view) => new()
    {
        BindingCodeId = view.Code.Id,
        BillingAccountId = view.Code.BillingAccountId,
        State = (V1.BindingCodeState)view.State,
        CreateTime = view.Code.CreatedAt.ToTimestamp(),
        ExpireTime = view.Code.ExpiresAt.ToTimestamp(),
        UsedByWorkspaceId = view.Code.RedeemedByWorkspaceId ?? "",
        UseTime = view.Code.RedeemedAt.ToTimestamp(),
        RevokeTime = view.Code.RevokedAt.ToTimestamp(),
    };
}
