using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// Helpers of the life, clock and arrears tests: site-local instants on China 1 (UTC+8), the
/// simulated clock, money to the cent, lots with an explicit expiry, and the notifications of an account.
/// </summary>
public static class SettlementLifeKit
{
    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>An instant given as China 1 (Asia/Shanghai) local time in 2026.</summary>
    public static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Shanghai);

    /// <summary>An instant of a site-local day on China 1.</summary>
    public static DateTimeOffset At(this DateOnly day, int hour, int minute = 0) => new(day.Year, day.Month, day.Day, hour, minute, 0, Shanghai);

    public static Timestamp Ts(DateTimeOffset at) => Timestamp.FromDateTimeOffset(at);

    /// <summary>Settings every long-running test needs: tokens that outlive a month of the clock.</summary>
    public static void LongLivedTokens(this BillingHost host)
    {
        host.Settings["Guance:Security:SignInTokenLifetime"] = "400.00:00:00";
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "400.00:00:00";
    }

    /// <summary>Moves the host's simulated clock to <paramref name="target"/> (the jobs due on the way run).</summary>
    public static async Task<AdvanceClockResponse> AdvanceToAsync(this BillingHost host, DateTimeOffset target) =>
        await host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { TargetTime = Ts(target) });

    public static async Task<DateTimeOffset> ClockNowAsync(this BillingHost host) =>
        (await host.Operator.Settlement.GetClockAsync(new GetClockRequest())).Now.ToDateTimeOffset();

    /// <summary>Asserts a Money is exactly this many cents of CNY.</summary>
    public static void Cny(long cents, Money? money, string what = "")
    {
        Assert.NotNull(money);
        Assert.True(money.CurrencyCode == "CNY", $"{what}: currency {money.CurrencyCode}");
        Assert.True(money.Units * 1_000_000_000L + money.Nanos == cents * 10_000_000L,
            $"{what}: expected {cents / 100}.{cents % 100:00} CNY, got {money.Units}.{money.Nanos:000000000}");
    }

    /// <summary>A unit price as micro-CNY.</summary>
    public static long Micros(this Money money) => money.Units * 1_000_000 + money.Nanos / 1_000;

    public static async Task<Voucher> GrantVoucherAsync(this BillingHost host, string billingAccountId, decimal amount, DateTimeOffset expiresAt) =>
        (await host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = billingAccountId,
            Kind = VoucherKind.Ordinary,
            Amount = BillingCenterScenario.Yuan(amount),
            ExpireTime = Ts(expiresAt),
            RequestId = Guid.NewGuid().ToString("N"),
        })).Voucher;

    public static async Task<PrepaidCard> IssueCardAsync(this BillingHost host, string billingAccountId, decimal faceValue, DateTimeOffset expiresAt) =>
        (await host.Operator.BillingAccounts.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = billingAccountId,
            FaceValue = BillingCenterScenario.Yuan(faceValue),
            ExpireTime = Ts(expiresAt),
            RequestId = Guid.NewGuid().ToString("N"),
        })).PrepaidCard;

    /// <summary>The account's notifications of one kind, newest first.</summary>
    public static async Task<List<Notification>> NoticesAsync(this BillingHost host, string billingAccountId, NotificationKind kind) =>
        (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = billingAccountId, Kinds = { kind }, PageSize = 1000,
        })).Notifications.ToList();

    public static async Task<BillingOverview> OverviewAsync(this TestWorkspace workspace) =>
        (await workspace.Owner.Api.Settlement.GetBillingOverviewAsync(new GetBillingOverviewRequest { WorkspaceId = workspace.Id })).Overview;

    public static async Task<ConsumptionSummary> ConsumptionAsync(this TestWorkspace workspace) =>
        (await workspace.Owner.Api.Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = workspace.Id })).Summary;
}
