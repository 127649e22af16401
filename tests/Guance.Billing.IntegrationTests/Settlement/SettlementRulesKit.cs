using Google.Rpc;
using Grpc.Core;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CloudProvider = Guance.Billing.V1.CloudProvider;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>A refused call's precondition: its one violation and the ErrorInfo metadata.</summary>
public sealed record Refusal(PreconditionFailure.Types.Violation Violation, IReadOnlyDictionary<string, string> Metadata);

/// <summary>Steps of the settlement-rule tests (methods, binding, overview, permissions), through the public API.</summary>
public static class SettlementRulesKit
{
    /// <summary>Valid unified social credit codes (their 18th character checks out).</summary>
    public const string TaxpayerId = "91350100M000100Y43";
    public const string OtherTaxpayerId = "91110000600037341L";
    public const string Enterprise = "杭州观测云科技有限公司";

    /// <summary>Tests here move the clock by days or weeks: console tokens and billing sessions outlive that.</summary>
    public static void WithLongSessions(this BillingHost host)
    {
        host.Settings["Guance:Security:SignInTokenLifetime"] = "400.00:00:00";
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "400.00:00:00";
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    /// <summary>FAILED_PRECONDITION with the reason, exactly one PreconditionFailure violation of that type, and the ErrorInfo metadata.</summary>
    public static async Task<Refusal> RefusedAsync<T>(Func<AsyncUnaryCall<T>> call, string reason, string? subject = null)
    {
        var error = await RpcAssert.Fails(StatusCode.FailedPrecondition, async () => await call(), reason);
        var status = error.GetRpcStatus()!;
        var failure = status.GetDetail<PreconditionFailure>();
        Assert.NotNull(failure);
        var violation = Assert.Single(failure.Violations);
        Assert.Equal(reason, violation.Type);
        Assert.False(string.IsNullOrWhiteSpace(violation.Description));
        if (subject is not null)
        {
            Assert.Equal(subject, violation.Subject);
        }
        return new Refusal(violation, status.GetDetail<ErrorInfo>()!.Metadata.ToDictionary(p => p.Key, p => p.Value));
    }

    /// <summary>A cloud account of the billing account, added by the operator.</summary>
    public static async Task<string> AddCloudAccountAsync(this BillingHost host, string billingAccountId, CloudProvider provider)
    {
        var providerAccountId = provider == CloudProvider.Aws
            ? Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "acct-" + Guid.NewGuid().ToString("N")[..12];
        var added = await host.Operator.BillingAccounts.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = billingAccountId,
            Provider = provider,
            ProviderAccountId = providerAccountId,
            MarketplaceInstanceId = "inst-" + Guid.NewGuid().ToString("N")[..8],
        });
        return added.CloudAccount.CloudAccountId;
    }

    public static Task<ChangeSettlementMethodResponse> ChangeMethodAsync(this TestWorkspace workspace, SettlementMethod method, string cloudAccountId = "") =>
        workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(new ChangeSettlementMethodRequest
        {
            WorkspaceId = workspace.Id, Method = method, CloudAccountId = cloudAccountId,
        }).ResponseAsync;

    public static ChangeSettlementMethodRequest MethodRequest(TestWorkspace workspace, SettlementMethod method, string cloudAccountId = "") =>
        new() { WorkspaceId = workspace.Id, Method = method, CloudAccountId = cloudAccountId };

    /// <summary>The account submits a certification and the operator approves it (or leaves it pending, or rejects it).</summary>
    public static async Task CertifyAsync(this BillingHost host, TestBillingAccount account, string enterprise = Enterprise, string taxpayerId = TaxpayerId,
        CertificationDecision? decision = CertificationDecision.Approve)
    {
        await account.Client.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = account.Id, EnterpriseName = enterprise, TaxpayerId = taxpayerId,
        });
        if (decision is { } d)
        {
            await host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
            {
                BillingAccountId = account.Id, Decision = d, RejectReason = d == CertificationDecision.Reject ? "The licence is unreadable." : "",
            });
        }
    }

    /// <summary>
    /// Records that the marketplace subscription of the workspace's cloud account was cancelled, and
    /// nothing else. The CancelCloudSubscription RPC records the same column and then acts on it (an
    /// Alibaba Cloud workspace falls back to the billing center at once, an AWS or Huawei one enters the
    /// lock countdown), which the Cloud tests cover; the method rules tested here need only the record.
    /// </summary>
    public static async Task CancelCloudSubscriptionAsync(this BillingHost host, string workspaceId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var now = host.Clock.GetUtcNow();
        var updated = await db.WorkspaceSettlements.Where(s => s.WorkspaceId == workspaceId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CloudSubscriptionCancelledAt, now));
        Assert.Equal(1, updated);
    }

    /// <summary>The start of the next site-local calendar month after the clock's now, as an instant.</summary>
    public static DateTimeOffset NextMonthStart(this BillingHost host, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(host.Clock.GetUtcNow(), zone);
        var first = new DateTime(local.Year, local.Month, 1).AddMonths(1);
        return new DateTimeOffset(first, zone.GetUtcOffset(first)).ToUniversalTime();
    }

    /// <summary>Moves the clock to 09:00 (Shanghai) of the next day: a whole fresh billing day of cn1 for a test.</summary>
    public static DateOnly StartNextChinaDay(this BillingHost host)
    {
        var next = LocalDay(host.Clock.GetUtcNow(), "Asia/Shanghai").AddDays(1);
        host.MoveClockTo(new DateTimeOffset(next.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8)));
        return next;
    }

    /// <summary>The site-local day of an instant.</summary>
    public static DateOnly LocalDay(DateTimeOffset at, string timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);
}
