using Grpc.Core;
using Guance.Billing.BillingAccounts;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.Notifications;
using Guance.Billing.V1;
using Guance.Billing.Wallets;
using Domain = Guance.Billing.Wallets;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Services;

/// <summary>BillingAccountService: billing-center accounts, certification, cloud accounts, binding codes, the wallet.</summary>
public sealed class BillingAccountGrpcService(
    BillingAccountManager accounts,
    CertificationManager certifications,
    CloudAccountManager cloudAccounts,
    BindingCodeManager bindingCodes,
    WalletQueries wallets,
    RechargeService recharges,
    VoucherManager vouchers,
    PrepaidCardManager prepaidCards,
    HuaweiCardOrders huaweiCardOrders,
    ChargeEngine charges,
    ChargeBatches chargeBatches,
    LedgerVerifier verifier,
    ExpiryService expiry,
    NotificationOutbox notifications) : BillingAccountService.BillingAccountServiceBase
{
    public override async Task<RegisterBillingAccountResponse> RegisterBillingAccount(RegisterBillingAccountRequest request, ServerCallContext context)
    {
        var grant = await accounts.RegisterAsync(context.GetCaller(), request.Username, request.Password, request.Email, request.DisplayName, context.CancellationToken);
        return new RegisterBillingAccountResponse { BillingAccount = grant.Account.ToMessage(), Session = grant.Session.ToSession(), Token = grant.Bearer };
    }

    public override async Task<SignInBillingAccountResponse> SignInBillingAccount(SignInBillingAccountRequest request, ServerCallContext context)
    {
        var grant = await accounts.SignInAsync(context.GetCaller(), request.Username, request.Password, context.CancellationToken);
        return new SignInBillingAccountResponse { BillingAccount = grant.Account.ToMessage(), Session = grant.Session.ToSession(), Token = grant.Bearer };
    }

    public override async Task<SignOutBillingAccountResponse> SignOutBillingAccount(SignOutBillingAccountRequest request, ServerCallContext context) =>
        new() { EndedAt = (await accounts.SignOutAsync(context.GetCaller(), context.CancellationToken)).ToTimestamp() };

    public override async Task<GetBillingAccountResponse> GetBillingAccount(GetBillingAccountRequest request, ServerCallContext context)
    {
        var account = await accounts.GetAsync(context.GetCaller(), request.BillingAccountId, context.CancellationToken);
        return new GetBillingAccountResponse { BillingAccount = account.ToMessage() };
    }

    public override async Task<UpdateBillingAccountResponse> UpdateBillingAccount(UpdateBillingAccountRequest request, ServerCallContext context)
    {
        var account = await accounts.UpdateAsync(context.GetCaller(), request.BillingAccountId, request.BillingAccount?.Email,
            request.BillingAccount?.DisplayName, request.BillingAccount?.ContactPhone, request.BillingAccount?.Language, request.UpdateMask?.Paths.ToList() ?? [], context.CancellationToken);
        return new UpdateBillingAccountResponse { BillingAccount = account.ToMessage() };
    }

    public override async Task<ChangeBillingAccountPasswordResponse> ChangeBillingAccountPassword(ChangeBillingAccountPasswordRequest request, ServerCallContext context)
    {
        var (account, ended) = await accounts.ChangePasswordAsync(context.GetCaller(), request.BillingAccountId,
            request.CurrentPassword, request.NewPassword, context.CancellationToken);
        return new ChangeBillingAccountPasswordResponse { BillingAccount = account.ToMessage(), EndedSessions = ended };
    }

    public override async Task<SubmitEnterpriseCertificationResponse> SubmitEnterpriseCertification(SubmitEnterpriseCertificationRequest request, ServerCallContext context)
    {
        var certification = await certifications.SubmitAsync(context.GetCaller(), request.BillingAccountId,
            request.EnterpriseName, request.TaxpayerId, context.CancellationToken);
        return new SubmitEnterpriseCertificationResponse { Certification = certification.ToMessage() };
    }

    public override async Task<ReviewEnterpriseCertificationResponse> ReviewEnterpriseCertification(ReviewEnterpriseCertificationRequest request, ServerCallContext context)
    {
        var certification = await certifications.ReviewAsync(context.GetCaller(), request.BillingAccountId,
            (BillingAccounts.CertificationDecision)request.Decision, request.RejectReason, context.CancellationToken);
        return new ReviewEnterpriseCertificationResponse { Certification = certification.ToMessage() };
    }

    public override async Task<AddCloudAccountResponse> AddCloudAccount(AddCloudAccountRequest request, ServerCallContext context)
    {
        var cloudAccount = await cloudAccounts.AddAsync(context.GetCaller(), request.BillingAccountId, (Workspaces.CloudProvider)request.Provider,
            request.ProviderAccountId, request.MarketplaceInstanceId, request.DisplayName, context.CancellationToken);
        return new AddCloudAccountResponse { CloudAccount = cloudAccount.ToMessage() };
    }

    public override async Task<ListCloudAccountsResponse> ListCloudAccounts(ListCloudAccountsRequest request, ServerCallContext context)
    {
        var (page, next) = await cloudAccounts.ListAsync(context.GetCaller(), request.BillingAccountId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListCloudAccountsResponse { NextPageToken = next };
        response.CloudAccounts.Add(page.Select(c => c.ToMessage()));
        return response;
    }

    public override async Task<RemoveCloudAccountResponse> RemoveCloudAccount(RemoveCloudAccountRequest request, ServerCallContext context)
    {
        await cloudAccounts.RemoveAsync(context.GetCaller(), request.BillingAccountId, request.CloudAccountId, context.CancellationToken);
        return new RemoveCloudAccountResponse();
    }

    public override async Task<CreateBindingCodeResponse> CreateBindingCode(CreateBindingCodeRequest request, ServerCallContext context)
    {
        var grant = await bindingCodes.CreateAsync(context.GetCaller(), request.BillingAccountId, context.CancellationToken);
        return new CreateBindingCodeResponse { BindingCode = grant.Code, ExpireTime = grant.BindingCode.ExpiresAt.ToTimestamp(), BindingCodeId = grant.BindingCode.Id };
    }

    public override async Task<ListBindingCodesResponse> ListBindingCodes(ListBindingCodesRequest request, ServerCallContext context)
    {
        var (page, next) = await bindingCodes.ListAsync(context.GetCaller(), request.BillingAccountId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListBindingCodesResponse { NextPageToken = next };
        response.BindingCodes.Add(page.Select(c => c.ToMessage()));
        return response;
    }

    public override async Task<RevokeBindingCodeResponse> RevokeBindingCode(RevokeBindingCodeRequest request, ServerCallContext context)
    {
        var revoked = await bindingCodes.RevokeAsync(context.GetCaller(), request.BillingAccountId, request.BindingCodeId, context.CancellationToken);
        return new RevokeBindingCodeResponse { BindingCode = revoked.ToMessage() };
    }

    public override async Task<ListBoundWorkspacesResponse> ListBoundWorkspaces(ListBoundWorkspacesRequest request, ServerCallContext context)
    {
        var (page, next) = await bindingCodes.ListBoundWorkspacesAsync(context.GetCaller(), request.BillingAccountId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListBoundWorkspacesResponse { NextPageToken = next };
        response.Workspaces.Add(page.Select(w => w.ToMessage()));
        return response;
    }

    public override async Task<GetWalletResponse> GetWallet(GetWalletRequest request, ServerCallContext context)
    {
        var wallet = await wallets.GetAsync(context.GetCaller(), request.BillingAccountId, context.CancellationToken);
        return new GetWalletResponse { Wallet = wallet.ToMessage() };
    }

    public override async Task<RechargeResponse> Recharge(RechargeRequest request, ServerCallContext context)
    {
        var outcome = await recharges.RechargeAsync(context.GetCaller(), request.BillingAccountId, request.Amount.ToInput(), request.RequestId,
            (Domain.PaymentMethod)request.PaymentMethod, request.PaymentReference, context.CancellationToken);
        return new RechargeResponse
        {
            Transaction = outcome.Transaction.ToMessage(),
            ArrearsPaid = outcome.ArrearsPaid.ToMoney(),
            CashAdded = outcome.CashAdded.ToMoney(),
            Wallet = outcome.Wallet.ToMessage(),
            Replayed = outcome.Replayed,
        };
    }

    public override async Task<IssueVoucherResponse> IssueVoucher(IssueVoucherRequest request, ServerCallContext context)
    {
        var outcome = await vouchers.IssueAsync(context.GetCaller(), request.BillingAccountId, (Domain.VoucherKind)request.Kind, request.Amount.ToInput(),
            request.StartTime.ToOptionalInstant("start_time"), request.ExpireTime.ToOptionalInstant("expire_time"), request.ActivationCode, request.RequestId, context.CancellationToken);
        return new IssueVoucherResponse { Voucher = outcome.Voucher.ToMessage(), Replayed = outcome.Replayed };
    }

    public override async Task<RedeemVoucherResponse> RedeemVoucher(RedeemVoucherRequest request, ServerCallContext context)
    {
        var outcome = await vouchers.RedeemAsync(context.GetCaller(), request.BillingAccountId, request.ActivationCode, context.CancellationToken);
        return new RedeemVoucherResponse { Voucher = outcome.Voucher.ToMessage() };
    }

    public override async Task<IssuePrepaidCardResponse> IssuePrepaidCard(IssuePrepaidCardRequest request, ServerCallContext context)
    {
        var voucher = request.FullReductionVoucher is { } v
            ? new FullReductionVoucherInput(v.Amount.ToInput(), v.ExpireTime.ToOptionalInstant("full_reduction_voucher.expire_time"))
            : null;
        var outcome = await prepaidCards.IssueAsync(context.GetCaller(), request.BillingAccountId, request.FaceValue.ToInput(),
            request.ExpireTime.ToOptionalInstant("expire_time"), request.RequestId, voucher, request.PaymentReference, context.CancellationToken);
        return new IssuePrepaidCardResponse
        {
            PrepaidCard = outcome.Card.ToMessage(),
            FullReductionVoucher = outcome.FullReductionVoucher?.ToMessage(),
            ArrearsPaid = outcome.ArrearsPaid.ToMoney(),
            Replayed = outcome.Replayed,
        };
    }

    public override async Task<ListVouchersResponse> ListVouchers(ListVouchersRequest request, ServerCallContext context)
    {
        var (page, next) = await vouchers.ListAsync(context.GetCaller(), request.BillingAccountId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListVouchersResponse { NextPageToken = next };
        response.Vouchers.Add(page.Select(v => v.ToMessage()));
        return response;
    }

    public override async Task<ListPrepaidCardsResponse> ListPrepaidCards(ListPrepaidCardsRequest request, ServerCallContext context)
    {
        var (page, next) = await prepaidCards.ListAsync(context.GetCaller(), request.BillingAccountId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListPrepaidCardsResponse { NextPageToken = next };
        response.PrepaidCards.Add(page.Select(c => c.ToMessage()));
        return response;
    }

    public override async Task<ListTransactionsResponse> ListTransactions(ListTransactionsRequest request, ServerCallContext context)
    {
        var (page, next) = await wallets.ListTransactionsAsync(context.GetCaller(), request.BillingAccountId,
            request.StartTime.ToOptionalInstant("start_time"), request.EndTime.ToOptionalInstant("end_time"),
            request.Kinds.Select(k => (Domain.TransactionKind)k).ToList(), request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListTransactionsResponse { NextPageToken = next };
        response.Transactions.Add(page.Select(t => t.ToMessage()));
        return response;
    }

    public override async Task<ChargeResponse> Charge(V1.ChargeRequest request, ServerCallContext context)
    {
        var input = request.ToInput();
        var outcome = await charges.ChargeAsync(context.GetCaller(), input.BillingAccountId, input.Reference, input.Lines, input.Mode, input.Description, context.CancellationToken);
        return outcome.ToMessage();
    }

    public override async Task<ChargeBatchResponse> ChargeBatch(ChargeBatchRequest request, ServerCallContext context)
    {
        var attempts = await chargeBatches.ChargeAsync(context.GetCaller(), request.Charges.Select(c => c.ToInput()).ToList(), context.CancellationToken);
        var response = new ChargeBatchResponse();
        response.Outcomes.Add(attempts.Select(a => a.ToMessage()));
        return response;
    }

    public override async Task<VerifyLedgerResponse> VerifyLedger(VerifyLedgerRequest request, ServerCallContext context)
    {
        var report = await verifier.VerifyAsync(context.GetCaller(), request.BillingAccountId, context.CancellationToken);
        return report.ToMessage();
    }

    public override async Task<RunExpiryResponse> RunExpiry(RunExpiryRequest request, ServerCallContext context)
    {
        var run = await expiry.RunAsync(context.GetCaller(), context.CancellationToken);
        return new RunExpiryResponse
        {
            CardNotices = run.CardNotices,
            CardsExpired = run.CardsExpired,
            VouchersExpired = run.VouchersExpired,
            Cleared = run.Cleared.ToMoney(),
        };
    }

    public override async Task<ListNotificationsResponse> ListNotifications(ListNotificationsRequest request, ServerCallContext context)
    {
        var (page, next) = await notifications.ListAsync(context.GetCaller(), request.BillingAccountId,
            request.Kinds.Select(k => (Notifications.NotificationKind)k).ToList(), request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListNotificationsResponse { NextPageToken = next };
        response.Notifications.Add(page.Select(n => n.ToMessage()));
        return response;
    }

    public override async Task<SubmitHuaweiCardOrderResponse> SubmitHuaweiCardOrder(SubmitHuaweiCardOrderRequest request, ServerCallContext context)
    {
        var order = await huaweiCardOrders.SubmitAsync(context.GetCaller(), request.BillingAccountId, request.HuaweiAccountId, request.OrderNumber, context.CancellationToken);
        return new SubmitHuaweiCardOrderResponse { Order = order.ToMessage() };
    }

    public override async Task<ListHuaweiCardOrdersResponse> ListHuaweiCardOrders(ListHuaweiCardOrdersRequest request, ServerCallContext context)
    {
        var (orders, next) = await huaweiCardOrders.ListAsync(context.GetCaller(), request.BillingAccountId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListHuaweiCardOrdersResponse { NextPageToken = next };
        response.Orders.Add(orders.Select(o => o.ToMessage()));
        return response;
    }
}
