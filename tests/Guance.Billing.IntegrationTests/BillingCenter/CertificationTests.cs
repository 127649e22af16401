using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.BillingCenter;

public sealed class CertificationTests : IClassFixture<BillingHost>
{
    /// <summary>Valid unified social credit codes (their 18th character checks out).</summary>
    private const string ValidCode = "91350100M000100Y43";
    private const string OtherValidCode = "91110000600037341L";

    private readonly BillingHost host;

    public CertificationTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        // Tests here move the clock by days; sessions outlive that.
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    [Fact]
    public async Task Submit_makes_a_pending_certification_that_the_operator_approves()
    {
        var account = await host.RegisterBillingAccountAsync("cert");
        var submitted = (await account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, EnterpriseName = " 杭州观测云科技有限公司 ", TaxpayerId = ValidCode.ToLowerInvariant(),
        })).Certification;
        Assert.Equal(CertificationState.Pending, submitted.State);
        Assert.Equal("杭州观测云科技有限公司", submitted.EnterpriseName);
        Assert.Equal(ValidCode, submitted.TaxpayerId);
        Assert.Null(submitted.ReviewTime);

        // A second submission waits for the first.
        await RpcAssert.Precondition(() => account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, EnterpriseName = "Other Co", TaxpayerId = OtherValidCode,
        }), "CERTIFICATION_PENDING");

        var approved = (await host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, Decision = CertificationDecision.Approve,
        })).Certification;
        Assert.Equal(CertificationState.Approved, approved.State);
        Assert.Equal(host.Clock.GetUtcNow(), approved.ReviewTime.ToDateTimeOffset());
        var shown = (await account.Client.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.Id })).BillingAccount.Certification;
        Assert.Equal(approved, shown);

        await RpcAssert.Precondition(() => account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, EnterpriseName = "Other Co", TaxpayerId = OtherValidCode,
        }), "CERTIFICATION_APPROVED");
        await RpcAssert.Precondition(() => host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, Decision = CertificationDecision.Reject, RejectReason = "too late",
        }), "CERTIFICATION_NOT_PENDING");

        var notices = await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.CertificationApproved },
        });
        Assert.Single(notices.Notifications);
    }

    [Fact]
    public async Task A_rejected_certification_carries_its_reason_and_may_be_submitted_again()
    {
        var account = await host.RegisterBillingAccountAsync("reject");
        await account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, EnterpriseName = "Wrong Name Ltd", TaxpayerId = ValidCode,
        });
        var rejected = (await host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, Decision = CertificationDecision.Reject, RejectReason = "The name differs from the business licence.",
        })).Certification;
        Assert.Equal(CertificationState.Rejected, rejected.State);
        Assert.Equal("The name differs from the business licence.", rejected.RejectReason);

        var again = (await account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, EnterpriseName = "Right Name Ltd", TaxpayerId = ValidCode,
        })).Certification;
        Assert.Equal(CertificationState.Pending, again.State);
        Assert.NotEqual(rejected.CertificationId, again.CertificationId);
    }

    [Fact]
    public async Task Submit_validates_the_name_and_the_unified_social_credit_code()
    {
        var account = await host.RegisterBillingAccountAsync("cert-bad");
        await RpcAssert.InvalidFields(() => account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest { BillingAccountId = account.Id }),
            "enterprise_name", "taxpayer_id");
        // Wrong check character, wrong length, forbidden letters (I, O, S, V, Z).
        foreach (var code in new[] { "91350100M000100Y44", "91350100M000100Y4", "91350100M000100O43", "9135010OM000100Y43" })
        {
            await RpcAssert.InvalidFields(() => account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
            {
                BillingAccountId = account.Id, EnterpriseName = "Acme", TaxpayerId = code,
            }), "taxpayer_id");
        }
        await RpcAssert.InvalidFields(() => account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, EnterpriseName = "A", TaxpayerId = ValidCode,
        }), "enterprise_name");
        Assert.Null((await account.Client.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.Id })).BillingAccount.Certification);
    }

    [Fact]
    public async Task Review_needs_a_decision_and_a_reason_only_to_reject()
    {
        var account = await host.RegisterBillingAccountAsync("review-bad");
        await account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, EnterpriseName = "Acme", TaxpayerId = ValidCode,
        });
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id,
        }), "decision");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, Decision = CertificationDecision.Reject,
        }), "reject_reason");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, Decision = CertificationDecision.Approve, RejectReason = "but why",
        }), "reject_reason");
    }

    [Fact]
    public async Task Submit_is_for_the_account_or_the_operator_and_review_for_the_operator_only()
    {
        var account = await host.RegisterBillingAccountAsync("cert-perm");
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, async (client, id) =>
        {
            await client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest { BillingAccountId = id, EnterpriseName = "Acme", TaxpayerId = ValidCode });
            // Reject it again, so that the next allowed caller may submit too.
            await host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
            {
                BillingAccountId = id, Decision = CertificationDecision.Reject, RejectReason = "test",
            });
        });
        await account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest { BillingAccountId = account.Id, EnterpriseName = "Acme", TaxpayerId = ValidCode });
        await host.AssertCallersAsync(account, BillingAccess.OperatorOnly, async (client, id) =>
        {
            await client.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest { BillingAccountId = id, Decision = CertificationDecision.Reject, RejectReason = "check" });
        });
    }
}
