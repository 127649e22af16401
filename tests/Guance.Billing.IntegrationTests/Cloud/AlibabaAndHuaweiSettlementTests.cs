using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Cloud;

/// <summary>
/// Alibaba Cloud (China 1) and Huawei Cloud (China 4, by the operator's arbitrary selection): their
/// batch sizes (100 and 1,000), Alibaba's fallback to the billing center on cancellation, Huawei's
/// lock countdown, and one cloud account's records merged over two sites.
/// </summary>
public sealed class AlibabaAndHuaweiSettlementTests
{
    /// <summary>Ten days of every item: 10 × 11 = 110 records, each day's items at CloudKit.AllItems' amounts.</summary>
    private static async Task LiveTenDaysAsync(BillingHost host, CloudWorkspace workspace, string siteCode)
    {
        for (var i = 0; i < 10; i++)
        {
            await workspace.ReportAsync(host, CloudKit.AllItems.Select(x => (x.Item, x.Quantity)).ToArray());
            await host.EndDayAsync(siteCode);
        }
    }

    [Fact]
    public async Task Alibaba_records_come_in_batches_of_100_and_a_cancellation_falls_back_to_the_billing_center_with_a_notice()
    {
        using var host = new BillingHost();
        var alibaba = await host.CloudWorkspaceAsync("cn1", CloudProvider.AlibabaCloud);
        await LiveTenDaysAsync(host, alibaba, "cn1");

        var batches = await host.PendingBatchesAsync(CloudProvider.AlibabaCloud, alibaba.CloudAccountId);
        Assert.Equal([100, 10], batches.Select(b => b.Records.Count));
        var records = batches.SelectMany(b => b.Records).ToList();
        Assert.All(records, r => Assert.Equal((CloudProvider.AlibabaCloud, alibaba.ProviderAccountId), (r.Provider, r.ProviderAccountId)));
        Assert.Equal(10 * 5800, records.Sum(r => r.Quantity)); // 58.00 a day (CloudKit.AllItems), no voucher or card
        // Another provider's list does not show them.
        Assert.DoesNotContain(await host.PendingBatchesAsync(CloudProvider.Aws), b => b.CloudAccountId == alibaba.CloudAccountId);
        // Days old, they are still to send: Alibaba Cloud takes a record at any age, so none expires or is reissued.
        Assert.All(records, r => Assert.Equal(MeteringRecordStatus.Pending, r.Status));
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => host.Operator.CloudMarketplace.ReissueCloudMeteringRecordAsync(
            new ReissueCloudMeteringRecordRequest { RecordId = records[0].RecordId }), "METERING_RECORD_NOT_EXPIRED");
        await host.AcknowledgeAsync(records.Select(r => r.RecordId));

        var response = await host.Operator.CloudMarketplace.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest { CloudAccountId = alibaba.CloudAccountId });
        var workspace = Assert.Single(response.Workspaces);
        Assert.Equal(SettlementMethod.BillingCenter, workspace.Method);
        Assert.Null(workspace.LockTime);
        var settlement = await host.SettlementAsync(alibaba.Id);
        Assert.Equal((SettlementMethod.BillingCenter, "", false, false), (settlement.Method, settlement.CloudAccountId, settlement.Locked, settlement.CloudLockedIn));
        var notices = await host.NotificationsAsync(alibaba.Account.Id, NotificationKind.CloudSubscriptionCancelled);
        Assert.Equal(new[] { alibaba.Account.Account.Email, alibaba.Workspace.Owner.Email, alibaba.Workspace.Administrator.Email }.Order(),
            notices.Select(n => n.Recipient).Order());
        // In Simplified Chinese, the China site's language: now settled by billing account ... (费用中心账号).
        Assert.All(notices, n => Assert.Contains($"改由费用中心账号 {alibaba.Account.Username} 结算", n.Body, StringComparison.Ordinal));

        // The next day is paid from the wallet: 58.00 with no cash is arrears; no metering record.
        await alibaba.ReportAsync(host, CloudKit.AllItems.Select(x => (x.Item, x.Quantity)).ToArray());
        var day = await host.EndDayAsync("cn1");
        var bill = await host.BillAsync(alibaba.Id, day);
        Assert.Equal((DailyBillStatus.Charged, SettlementMethod.BillingCenter, 5800L, 5800L, 0L), (bill.Status, bill.Method, bill.Total.Cents(), bill.Arrears.Cents(), bill.CloudAmount.Cents()));
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.AlibabaCloud, alibaba.CloudAccountId));
        await host.AssertLedgerCleanAsync(alibaba.Account.Id);
    }

    [Fact]
    public async Task Huawei_records_come_in_batches_of_up_to_1000_and_a_cancellation_locks_after_14_days()
    {
        using var host = new BillingHost();
        var huawei = await host.CloudWorkspaceAsync("cn4", CloudProvider.HuaweiCloud, arbitrarySelection: true);
        await LiveTenDaysAsync(host, huawei, "cn4");

        // 110 records: one batch for Huawei (up to 1,000), where Alibaba makes two (100 + 10) and AWS five.
        var batch = Assert.Single(await host.PendingBatchesAsync(CloudProvider.HuaweiCloud, huawei.CloudAccountId, pageSize: 1000));
        Assert.Equal(110, batch.Records.Count);
        Assert.Equal(10 * 5800, batch.Records.Sum(r => r.Quantity));
        // A page smaller than a batch still gives one cloud account's records a batch at a time, and pages on.
        var paged = await host.PendingBatchesAsync(CloudProvider.HuaweiCloud, huawei.CloudAccountId, pageSize: 40);
        Assert.Equal([40, 40, 30], paged.Select(b => b.Records.Count));
        Assert.Equal(batch.Records, paged.SelectMany(b => b.Records));

        var cancelledAt = host.Clock.GetUtcNow();
        var response = await host.Operator.CloudMarketplace.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest { CloudAccountId = huawei.CloudAccountId });
        var workspace = Assert.Single(response.Workspaces);
        Assert.Equal(SettlementMethod.HuaweiCloud, workspace.Method);
        var lockAt = cancelledAt.AddDays(14);
        Assert.Equal(lockAt, workspace.LockTime.ToDateTimeOffset());

        host.Clock.Advance(lockAt.AddSeconds(-1) - host.Clock.GetUtcNow());
        await huawei.ReportAsync(host, (BillingItem.Logs, 1));
        Assert.False((await host.SettlementAsync(huawei.Id)).Locked);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => huawei.ReportAsync(host, (BillingItem.Logs, 1)), "WORKSPACE_LOCKED");
        Assert.True((await host.SettlementAsync(huawei.Id)).Locked);
    }

    [Fact]
    public async Task One_cloud_account_settling_two_sites_gets_one_record_per_item_and_day_once_both_sites_closed_it()
    {
        using var host = new BillingHost();
        var china2 = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        var china1 = await host.CloudWorkspaceAsync("cn1", CloudProvider.Aws, arbitrarySelection: true, account: china2.Account, cloudAccountId: china2.CloudAccountId);

        await china2.ReportAsync(host, (BillingItem.Logs, 10_000_000));
        await china1.ReportAsync(host, (BillingItem.Logs, 20_000_000));
        var day = await host.EndDayAsync("cn2");
        // China 1 has not closed the day yet: it may still add to the AWS account's day.
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, china2.CloudAccountId));

        await host.CloseDayAsync("cn1", day);
        var record = Assert.Single(Assert.Single(await host.PendingBatchesAsync(CloudProvider.Aws, china2.CloudAccountId)).Records);
        // China 2: 10.00 units × 1.5 = 15.00; China 1: 20,000,000 / 1,000,000 = 20.00 units × 1.5 = 30.00; merged 45.00.
        Assert.Equal((BillingItem.Logs, 4500L, 0), (record.Item, record.Quantity, record.Part));
        Assert.Equal(day, record.Day.ToDateOnly());
        Assert.Equal(1500, (await host.BillAsync(china2.Id, day)).CloudAmount.Cents());
        Assert.Equal(3000, (await host.BillAsync(china1.Id, day)).CloudAmount.Cents());
    }
}
