using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Cloud;

/// <summary>
/// A workspace on China 2 (operated on AWS) settling through an AWS account (docs/domain.md §6-§7): the
/// day close lets vouchers pay first and meters the rest to the AWS account, in AWS's batches of 25,
/// with record ids that make a resend identical; the marketplace's answers; the cancellation's lock.
/// Each test has its own host, since it moves the clock.
/// </summary>
public sealed class AwsSettlementTests
{
    [Fact]
    public async Task Day_close_pays_vouchers_first_and_meters_the_rest_to_the_aws_account_in_batches_of_25()
    {
        using var host = new BillingHost();
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        await host.GrantVoucherAsync(aws.Account.Id, 10m);

        await aws.ReportAsync(host, (BillingItem.TimeSeries, 10_000), (BillingItem.Logs, 10_000_000), (BillingItem.Sms, 50));
        var days = new List<DateOnly> { await host.EndDayAsync() };
        for (var i = 0; i < 3; i++)
        {
            await aws.ReportAsync(host, CloudKit.AllItems.Select(x => (x.Item, x.Quantity)).ToArray());
            days.Add(await host.EndDayAsync());
        }
        // The four days are closed late, an hour apart (a catch-up after an outage): AWS takes a dimension's record once an
        // hour, and none 6 hours after its hour, so all four days' records are still to send.
        foreach (var day in days)
        {
            await host.CloseDayAsync("cn2", day);
            host.Clock.Advance(TimeSpan.FromHours(1));
        }
        var day1 = days[0];
        var bill = await host.BillAsync(aws.Id, day1);
        // Lines: time series 7.00, logs 15.00, SMS 5.00 (see CloudKit.AllItems): total 27.00.
        // The 10.00 voucher pays time series 7.00 and 3.00 of logs, never SMS; the AWS account owes
        // logs 15.00 - 3.00 = 12.00 and SMS 5.00 = 17.00. Nothing from cash, no arrears. The AWS part is
        // not acknowledged by the marketplace yet: the bill awaits the cloud (the contract's bill status).
        Assert.Equal(DailyBillStatus.AwaitingCloud, bill.Status);
        Assert.Equal(SettlementMethod.Aws, bill.Method);
        Assert.Equal(aws.CloudAccountId, bill.CloudAccountId);
        Assert.Equal(2700, bill.Total.Cents());
        Assert.Equal(1000, bill.PaidByVouchers.Cents());
        Assert.Equal(1700, bill.CloudAmount.Cents());
        Assert.Equal(0, bill.PaidByCash.Cents());
        Assert.Equal(0, bill.Arrears.Cents());

        // Day 1: logs and SMS (time series was paid by the voucher); days 2-4: all 11 items each, the
        // voucher spent. 2 + 3 × 11 = 35 records: batches of 25 and 10, all of the one AWS account.
        var batches = await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId);
        Assert.Equal([25, 10], batches.Select(b => b.Records.Count));
        var records = batches.SelectMany(b => b.Records).ToList();
        Assert.All(batches, b => Assert.Equal(aws.CloudAccountId, b.CloudAccountId));
        Assert.All(records, r =>
        {
            Assert.Equal(CloudProvider.Aws, r.Provider);
            Assert.Equal(aws.CloudAccountId, r.CloudAccountId);
            Assert.Equal(aws.Account.Id, r.BillingAccountId);
            Assert.Equal("123456789012", r.ProviderAccountId);
            Assert.Equal(MeteringRecordStatus.Pending, r.Status);
            Assert.Equal(0, r.Attempts);
            Assert.Equal(r.Quantity, r.Amount.Cents());
            Assert.StartsWith("cmr_", r.RecordId);
        });
        Assert.Equal(35, records.Select(r => r.RecordId).Distinct().Count());
        var firstDay = records.Where(r => r.Day.ToDateOnly() == day1).OrderBy(r => r.Item).ToList();
        Assert.Equal([(BillingItem.Logs, "logs", 1200L), (BillingItem.Sms, "sms", 500L)], firstDay.Select(r => (r.Item, r.Dimension, r.Quantity)));
        // Days 2-4 owe the whole 58.00 of CloudKit.AllItems each: 17.00 + 3 × 58.00 = 191.00.
        Assert.Equal(19_100, records.Sum(r => r.Quantity));
        foreach (var (item, _, cents) in CloudKit.AllItems)
        {
            Assert.Equal(3, records.Count(r => r.Item == item && r.Day.ToDateOnly() != day1 && r.Quantity == cents));
        }

        // The cloud part is a receivable of the wallet, not arrears: cash and arrears stay 0, the ledger balances.
        var wallet = await host.WalletAsync(aws.Account.Id);
        Assert.Equal(0, wallet.Arrears.Cents());
        Assert.Equal(0, wallet.Cash.Cents());
        await host.AssertLedgerCleanAsync(aws.Account.Id);

        // Listing again (a resend after a lost answer) gives the identical records.
        Assert.Equal(records, (await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).SelectMany(b => b.Records));
        // Closing a closed day again makes no record.
        await host.CloseDayAsync("cn2", day1);
        Assert.Equal(35, (await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).Sum(b => b.Records.Count));
    }

    [Fact]
    public async Task Acknowledged_records_leave_the_list_and_a_failed_one_comes_back_identical_with_its_reason()
    {
        using var host = new BillingHost();
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        await aws.ReportAsync(host, CloudKit.AllItems.Select(x => (x.Item, x.Quantity)).ToArray());
        var day = await host.EndDayAsync("cn2");
        Assert.Equal((1, 0), await BillsAwaitingCloudAndChargedAsync(host, day));
        var records = (await host.PendingBatchesAsync(CloudProvider.Aws)).SelectMany(b => b.Records).Where(r => r.CloudAccountId == aws.CloudAccountId).ToList();
        Assert.Equal(11, records.Count);

        var failed = records.Single(r => r.Item == BillingItem.Logs);
        var acknowledged = await host.AcknowledgeAsync(records.Where(r => r != failed).Select(r => r.RecordId), (failed.RecordId, "ThrottlingException: Rate exceeded"));
        Assert.Equal(records.Where(r => r != failed).Append(failed).Select(r => r.RecordId), acknowledged.Records.Select(r => r.RecordId)); // the request's order
        Assert.All(acknowledged.Records.Where(r => r.RecordId != failed.RecordId), r =>
        {
            Assert.Equal(MeteringRecordStatus.Sent, r.Status);
            Assert.NotNull(r.SentTime);
            Assert.Equal(1, r.Attempts);
        });

        var again = Assert.Single((await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).SelectMany(b => b.Records));
        Assert.Equal(MeteringRecordStatus.Failed, again.Status);
        Assert.Equal("ThrottlingException: Rate exceeded", again.FailureReason);
        Assert.Equal(1, again.Attempts);
        // The resend carries the same id, quantity and hour: AWS's duplicate check accepts it.
        Assert.Equal((failed.RecordId, failed.Quantity, failed.UsageTime, failed.Dimension, failed.Day), (again.RecordId, again.Quantity, again.UsageTime, again.Dimension, again.Day));
        Assert.Equal(1500, again.Quantity); // logs 15.00, see CloudKit.AllItems
        // One of the bill's records is not sent yet: the bill still awaits the cloud.
        Assert.Equal(DailyBillStatus.AwaitingCloud, (await host.BillAsync(aws.Id, day)).Status);

        await host.AcknowledgeAsync([again.RecordId]);
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId));
        // Every metering record of the bill acknowledged: the cloud settled it.
        var settled = await host.BillAsync(aws.Id, day);
        Assert.Equal((DailyBillStatus.Charged, 5800L), (settled.Status, settled.CloudAmount.Cents()));
        // A late failure report of a sent record changes nothing: sent stays sent.
        var late = await host.AcknowledgeAsync([], (again.RecordId, "timeout"));
        Assert.Equal(MeteringRecordStatus.Sent, late.Records.Single().Status);
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId));
    }

    [Fact]
    public async Task Two_days_closed_in_one_hour_meter_an_item_in_two_different_hours()
    {
        // The host was down across a day close: two days of an AWS workspace are closed in the same hour. AWS takes one
        // quantity per customer, dimension and hour, so the second day's logs wait for the next hour instead of
        // reporting the same hour with another quantity (which AWS refuses as a duplicate).
        using var host = new BillingHost();
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        await aws.ReportAsync(host, (BillingItem.Logs, 1_000_000));
        var first = host.Today();
        host.Clock.Advance(TimeSpan.FromDays(1));
        await aws.ReportAsync(host, (BillingItem.Logs, 3_000_000));
        var second = await host.EndDayAsync();
        await host.CloseDayAsync("cn2", first);
        await host.CloseDayAsync("cn2", second);

        var now = Assert.Single((await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).SelectMany(b => b.Records));
        Assert.Equal((first, 150L), (now.Day.ToDateOnly(), now.Quantity)); // logs 1.00 unit x 1.50
        Assert.Equal(DailyBillStatus.AwaitingCloud, (await host.BillAsync(aws.Id, second)).Status);

        host.Clock.Advance(TimeSpan.FromHours(1));
        var records = (await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).SelectMany(b => b.Records).OrderBy(r => r.Day.ToDateOnly()).ToList();
        Assert.Equal([(first, 150L), (second, 450L)], records.Select(r => (r.Day.ToDateOnly(), r.Quantity)));
        Assert.Equal(now, records[0]);
        Assert.Equal(TimeSpan.FromHours(1), records[1].UsageTime.ToDateTimeOffset() - records[0].UsageTime.ToDateTimeOffset());

        await host.AcknowledgeAsync(records.Select(r => r.RecordId));
        Assert.Equal(DailyBillStatus.Charged, (await host.BillAsync(aws.Id, first)).Status);
        Assert.Equal(DailyBillStatus.Charged, (await host.BillAsync(aws.Id, second)).Status);
    }

    [Fact]
    public async Task A_record_not_accepted_within_six_hours_of_its_hour_expires_and_leaves_the_batches_to_send()
    {
        // AWS takes no record 6 hours or more after its hour, and refuses a whole batch for one such record: an expired
        // record must not hold back the others of its batch.
        using var host = new BillingHost();
        var (listener, measurements) = host.ListenToMeter(Billing.Cloud.MeteringMetrics.MeterName);
        using var _ = listener;
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        await aws.ReportAsync(host, (BillingItem.Logs, 10_000_000), (BillingItem.Sms, 50));
        var day = await host.EndDayAsync("cn2");
        var (logs, sms) = await FormedLogsAndSmsAsync(host, aws);
        await host.AcknowledgeAsync([], (logs.RecordId, "ThrottlingException: Rate exceeded"));

        // The host stops sending it 10 minutes before AWS would refuse it (a send under way, the clocks' skew).
        var hour = logs.UsageTime.ToDateTimeOffset();
        host.Clock.Advance(hour.AddHours(6).AddMinutes(-10).AddTicks(-1) - host.Clock.GetUtcNow());
        Assert.Equal(2, (await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).Sum(b => b.Records.Count));
        Assert.Empty(await host.ExpiredBatchesAsync(aws.CloudAccountId));

        host.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId));
        var expired = (await host.ExpiredBatchesAsync(aws.CloudAccountId)).SelectMany(b => b.Records).OrderBy(r => r.Item).ToList();
        Assert.Equal(new[] { logs, sms }.OrderBy(r => r.Item).Select(r => r.RecordId), expired.Select(r => r.RecordId));
        Assert.All(expired, r => Assert.Equal(MeteringRecordStatus.Expired, r.Status));
        Assert.Equal(2, Total(measurements, "guance.cloud.metering.expired")); // an operator's alert
        Assert.Equal(("ThrottlingException: Rate exceeded", 1), (expired[0].FailureReason, expired[0].Attempts)); // logs: its last refusal stays
        // A failure reported now (AWS's TimestampOutOfBounds) leaves it expired; the bill still awaits the cloud.
        var late = await host.AcknowledgeAsync([], (logs.RecordId, "TimestampOutOfBoundsException"));
        Assert.Equal(MeteringRecordStatus.Expired, late.Records.Single().Status);
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId));
        Assert.Equal(DailyBillStatus.AwaitingCloud, (await host.BillAsync(aws.Id, day)).Status);

        // Other marketplaces take a record at any age.
        await RpcAssert.InvalidFields(() => host.Operator.CloudMarketplace.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest
        {
            Provider = CloudProvider.AlibabaCloud, Expired = true,
        }), "expired");
        await RpcAssert.InvalidFields(() => host.Operator.CloudMarketplace.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest
        {
            Provider = CloudProvider.HuaweiCloud, MeteredTwice = true,
        }), "metered_twice");
        // One list at a time; nothing changed by the refusals.
        await RpcAssert.InvalidFields(() => host.Operator.CloudMarketplace.ListCloudMeteringRecordsAsync(new ListCloudMeteringRecordsRequest
        {
            Provider = CloudProvider.Aws, Expired = true, MeteredTwice = true,
        }), "metered_twice");
        Assert.Equal(2, (await host.ExpiredBatchesAsync(aws.CloudAccountId)).Sum(b => b.Records.Count));
    }

    [Fact]
    public async Task A_reissued_record_meters_its_quantity_again_in_a_later_hour_and_settles_the_bill()
    {
        using var host = new BillingHost();
        var (listener, measurements) = host.ListenToMeter(Billing.Cloud.MeteringMetrics.MeterName);
        using var _ = listener;
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        await aws.ReportAsync(host, (BillingItem.Logs, 10_000_000), (BillingItem.Sms, 50));
        var day = await host.EndDayAsync("cn2");
        var (logs, sms) = await FormedLogsAndSmsAsync(host, aws);
        // Still to send: resend it, do not reissue it.
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => ReissueAsync(host, logs.RecordId), "METERING_RECORD_NOT_EXPIRED");

        // The next day's logs are metered in the hour the first day's logs expire in: AWS takes one record of a
        // dimension an hour, so the reissue waits for the next hour.
        host.Clock.Advance(TimeSpan.FromHours(7));
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId));
        await aws.ReportAsync(host, (BillingItem.Logs, 2_000_000));
        var nextDay = await host.EndDayAsync("cn2");
        var nextLogs = Assert.Single((await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).SelectMany(b => b.Records));
        Assert.Equal((nextDay, BillingItem.Logs), (nextLogs.Day.ToDateOnly(), nextLogs.Item));
        var taken = await RpcAssert.Fails(StatusCode.FailedPrecondition, () => ReissueAsync(host, logs.RecordId), "METERING_HOUR_TAKEN");
        Assert.Equal(nextLogs.UsageTime.ToDateTimeOffset().AddHours(1), DateTimeOffset.Parse(taken.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["retry_at"], CultureInfo.InvariantCulture));
        Assert.Equal(MeteringRecordStatus.Expired, Assert.Single((await host.ExpiredBatchesAsync(aws.CloudAccountId)).SelectMany(b => b.Records), r => r.Item == BillingItem.Logs).Status);

        host.Clock.Advance(TimeSpan.FromHours(1));
        var first = await ReissueAsync(host, logs.RecordId);
        var logsAgain = first.Replacement;
        Assert.Equal((MeteringRecordStatus.Reissued, logsAgain.RecordId, false), (first.Record.Status, first.Record.ReplacedBy, first.Replayed));
        Assert.Equal((day, BillingItem.Logs, 1, logs.Quantity, MeteringRecordStatus.Pending, ""),
            (logsAgain.Day.ToDateOnly(), logsAgain.Item, logsAgain.Part, logsAgain.Quantity, logsAgain.Status, logsAgain.ReplacedBy));
        Assert.NotEqual(logs.RecordId, logsAgain.RecordId);
        Assert.Equal(nextLogs.UsageTime.ToDateTimeOffset().AddHours(1), logsAgain.UsageTime.ToDateTimeOffset());

        // Reissued again (a retry after a lost answer): the same answer, nothing changes.
        var replay = await ReissueAsync(host, logs.RecordId);
        Assert.Equal((MeteringRecordStatus.Reissued, true, logsAgain), (replay.Record.Status, replay.Replayed, replay.Replacement));
        var smsAgain = (await ReissueAsync(host, sms.RecordId)).Replacement;
        Assert.Equal((day, BillingItem.Sms, 1, sms.Quantity), (smsAgain.Day.ToDateOnly(), smsAgain.Item, smsAgain.Part, smsAgain.Quantity));
        var listed = (await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).SelectMany(b => b.Records).Select(r => r.RecordId);
        Assert.Equal(new[] { logsAgain.RecordId, smsAgain.RecordId, nextLogs.RecordId }.Order(), listed.Order());
        Assert.Empty(await host.ExpiredBatchesAsync(aws.CloudAccountId));

        // Accepted by AWS, the replacements settle the first day's bill, for the amount the bill owed the cloud.
        Assert.Equal(DailyBillStatus.AwaitingCloud, (await host.BillAsync(aws.Id, day)).Status);
        await host.AcknowledgeAsync([logsAgain.RecordId, smsAgain.RecordId, nextLogs.RecordId]);
        var bill = await host.BillAsync(aws.Id, day);
        Assert.Equal((DailyBillStatus.Charged, logs.Quantity + sms.Quantity), (bill.Status, bill.CloudAmount.Cents()));
        Assert.Equal(DailyBillStatus.Charged, (await host.BillAsync(aws.Id, nextDay)).Status);
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId));
        await host.AssertLedgerCleanAsync(aws.Account.Id);

        // A sent record is not reissued.
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => ReissueAsync(host, logsAgain.RecordId), "METERING_RECORD_NOT_EXPIRED");
        Assert.Equal((2, 0), (Total(measurements, "guance.cloud.metering.reissued"), Total(measurements, "guance.cloud.metering.metered_twice")));
    }

    [Fact]
    public async Task An_expired_record_that_aws_metered_after_all_is_acknowledged_sent_and_withdraws_its_replacement()
    {
        using var host = new BillingHost();
        var (listener, measurements) = host.ListenToMeter(Billing.Cloud.MeteringMetrics.MeterName);
        using var _ = listener;
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        await aws.ReportAsync(host, (BillingItem.Logs, 10_000_000), (BillingItem.Sms, 50));
        var day = await host.EndDayAsync("cn2");
        var (logs, sms) = await FormedLogsAndSmsAsync(host, aws);
        host.Clock.Advance(TimeSpan.FromHours(7));
        Assert.Equal(2, (await host.ExpiredBatchesAsync(aws.CloudAccountId)).Sum(b => b.Records.Count));

        // AWS's usage report shows SMS metered (an answer lost on the way): acknowledged sent, it is not reissued.
        Assert.Equal(MeteringRecordStatus.Sent, (await host.AcknowledgeAsync([sms.RecordId])).Records.Single().Status);
        // Logs was reissued, and then AWS's answer to an earlier send of it turns up: sent after all.
        var replacement = (await ReissueAsync(host, logs.RecordId)).Replacement;
        var late = await host.AcknowledgeAsync([logs.RecordId]);
        Assert.Equal((MeteringRecordStatus.Sent, ""), (late.Records.Single().Status, late.Records.Single().ReplacedBy));

        // Its replacement is withdrawn, so AWS meters the quantity once, and the bill is settled by the two sent records.
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId));
        var withdrawn = await ReissueAsync(host, replacement.RecordId);
        Assert.Equal((MeteringRecordStatus.Reissued, logs.RecordId, true), (withdrawn.Record.Status, withdrawn.Record.ReplacedBy, withdrawn.Replayed));
        var bill = await host.BillAsync(aws.Id, day);
        Assert.Equal((DailyBillStatus.Charged, logs.Quantity + sms.Quantity), (bill.Status, bill.CloudAmount.Cents()));
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => ReissueAsync(host, logs.RecordId), "METERING_RECORD_NOT_EXPIRED");

        Assert.Empty(await host.MeteredTwiceBatchesAsync());

        // Had the replacement been sent too, AWS metered it twice: the original says so by keeping replaced_by, and the
        // lines stay on the replacement, which settled the bill.
        var twice = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        await twice.ReportAsync(host, (BillingItem.Logs, 1_000_000));
        var twiceDay = await host.EndDayAsync("cn2");
        var original = Assert.Single((await host.PendingBatchesAsync(CloudProvider.Aws, twice.CloudAccountId)).SelectMany(b => b.Records));
        host.Clock.Advance(TimeSpan.FromHours(7));
        var second = (await ReissueAsync(host, original.RecordId)).Replacement;
        await host.AcknowledgeAsync([second.RecordId]);
        Assert.Equal(DailyBillStatus.Charged, (await host.BillAsync(twice.Id, twiceDay)).Status);
        var both = (await host.AcknowledgeAsync([original.RecordId])).Records.Single();
        Assert.Equal((MeteringRecordStatus.Sent, second.RecordId), (both.Status, both.ReplacedBy));
        Assert.Equal(1, Total(measurements, "guance.cloud.metering.metered_twice")); // an operator's alert: refund it at AWS
        // The operator finds which: the sent original, naming the replacement that was sent too.
        var listed = Assert.Single(await host.MeteredTwiceBatchesAsync());
        Assert.Equal((twice.CloudAccountId, original.RecordId, second.RecordId), (listed.CloudAccountId, Assert.Single(listed.Records).RecordId, listed.Records[0].ReplacedBy));
        Assert.Equal(both, listed.Records[0]);
        Assert.Empty(await host.MeteredTwiceBatchesAsync(aws.CloudAccountId));
        Assert.Equal(DailyBillStatus.Charged, (await host.BillAsync(twice.Id, twiceDay)).Status);
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => ReissueAsync(host, original.RecordId), "METERING_RECORD_NOT_EXPIRED");
    }

    [Fact]
    public async Task A_replacement_that_expires_too_is_reissued_again_and_aws_accepting_the_first_withdraws_the_last()
    {
        using var host = new BillingHost();
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        await aws.ReportAsync(host, (BillingItem.Logs, 10_000_000));
        var day = await host.EndDayAsync("cn2");
        var first = Assert.Single((await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).SelectMany(b => b.Records));
        host.Clock.Advance(TimeSpan.FromHours(7));
        var second = (await ReissueAsync(host, first.RecordId)).Replacement;
        // AWS's refusal of the reissued record (too late) changes nothing.
        var refused = (await host.AcknowledgeAsync([], (first.RecordId, "TimestampOutOfBoundsException"))).Records.Single();
        Assert.Equal((MeteringRecordStatus.Reissued, second.RecordId), (refused.Status, refused.ReplacedBy));

        host.Clock.Advance(TimeSpan.FromHours(7));
        Assert.Equal(second.RecordId, Assert.Single((await host.ExpiredBatchesAsync(aws.CloudAccountId)).SelectMany(b => b.Records)).RecordId);
        var third = (await ReissueAsync(host, second.RecordId)).Replacement;
        Assert.Equal(2, third.Part);

        // AWS's answer to a send of the first record turns up: the record holding the lines now, the third, is withdrawn.
        var accepted = (await host.AcknowledgeAsync([first.RecordId])).Records.Single();
        Assert.Equal((MeteringRecordStatus.Sent, ""), (accepted.Status, accepted.ReplacedBy));
        var withdrawn = await ReissueAsync(host, third.RecordId);
        Assert.Equal((MeteringRecordStatus.Reissued, first.RecordId, true), (withdrawn.Record.Status, withdrawn.Record.ReplacedBy, withdrawn.Replayed));
        // The second still names the third, whose quantity the first meters now: the replay names the first.
        var chain = await ReissueAsync(host, second.RecordId);
        Assert.Equal((third.RecordId, first.RecordId), (chain.Record.ReplacedBy, chain.Replacement.RecordId));
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId));
        Assert.Empty(await host.ExpiredBatchesAsync(aws.CloudAccountId));
        var bill = await host.BillAsync(aws.Id, day);
        Assert.Equal((DailyBillStatus.Charged, first.Quantity), (bill.Status, bill.CloudAmount.Cents()));
    }

    private static long Total(List<(string Instrument, double Value, string? Tag)> measurements, string instrument)
    {
        lock (measurements)
        {
            return (long)measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);
        }
    }

    private static Task<ReissueCloudMeteringRecordResponse> ReissueAsync(BillingHost host, string recordId) =>
        host.Operator.CloudMarketplace.ReissueCloudMeteringRecordAsync(new ReissueCloudMeteringRecordRequest { RecordId = recordId }).ResponseAsync;

    private static async Task<(CloudMeteringRecord Logs, CloudMeteringRecord Sms)> FormedLogsAndSmsAsync(BillingHost host, CloudWorkspace aws)
    {
        var formed = (await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId)).SelectMany(b => b.Records).ToList();
        Assert.Equal(2, formed.Count);
        return (formed.Single(r => r.Item == BillingItem.Logs), formed.Single(r => r.Item == BillingItem.Sms));
    }

    /// <summary>The counts of the day's close of cn2.</summary>
    private static async Task<(int AwaitingCloud, int Charged)> BillsAwaitingCloudAndChargedAsync(BillingHost host, DateOnly day)
    {
        var close = await host.CloseDayAsync("cn2", day);
        return (close.BillsAwaitingCloud, close.BillsCharged);
    }

    [Fact]
    public async Task A_cancelled_aws_subscription_locks_the_workspace_after_14_days_not_before()
    {
        using var host = new BillingHost();
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        // The account reads its notices in English, whatever the (China) site's default (docs/domain.md §9).
        await aws.Account.Client.UpdateBillingAccountAsync(new UpdateBillingAccountRequest
        {
            BillingAccountId = aws.Account.Id,
            BillingAccount = new BillingAccount { Language = "en" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "language" } },
        });
        var cancelledAt = host.Clock.GetUtcNow();

        var response = await host.Operator.CloudMarketplace.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest { CloudAccountId = aws.CloudAccountId });
        Assert.Equal(CloudProvider.Aws, response.Provider);
        var workspace = Assert.Single(response.Workspaces);
        Assert.Equal((aws.Id, SettlementMethod.Aws), (workspace.WorkspaceId, workspace.Method));
        var lockAt = cancelledAt.AddDays(14);
        Assert.Equal(lockAt, workspace.LockTime.ToDateTimeOffset());

        var settlement = await host.SettlementAsync(aws.Id);
        Assert.Equal(lockAt, settlement.LockTime.ToDateTimeOffset());
        Assert.False(settlement.Locked);
        Assert.False(settlement.CloudLockedIn); // cancelled: the workspace may leave the AWS account
        var notices = await host.NotificationsAsync(aws.Account.Id, NotificationKind.CloudSubscriptionCancelled);
        Assert.Equal(new[] { aws.Account.Account.Email, aws.Workspace.Owner.Email, aws.Workspace.Administrator.Email }.Order(), notices.Select(n => n.Recipient).Order());

        // The marketplace's notice again: nothing more happens.
        var repeated = await host.Operator.CloudMarketplace.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest { CloudAccountId = aws.CloudAccountId });
        Assert.Empty(repeated.Workspaces);
        Assert.Equal(3, (await host.NotificationsAsync(aws.Account.Id, NotificationKind.CloudSubscriptionCancelled)).Count);

        // The countdown's notices name the cancellation and the way out, not arrears.
        host.Clock.Advance(lockAt.AddDays(-3) - host.Clock.GetUtcNow());
        await host.Operator.Settlement.ProcessArrearsAsync(new ProcessArrearsRequest());
        var warnings = await host.NotificationsAsync(aws.Account.Id, NotificationKind.WorkspaceLockWarning);
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, n => Assert.Contains("subscription", n.Body));
        Assert.All(warnings, n => Assert.Contains("changes the settlement method", n.Body));
        Assert.All(warnings, n => Assert.DoesNotContain("arrears", n.Body));

        // A minute before the lock its usage is still taken; from the lock on it is refused.
        host.Clock.Advance(lockAt.AddMinutes(-1) - host.Clock.GetUtcNow());
        await aws.ReportAsync(host, (BillingItem.Logs, 1));
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => aws.ReportAsync(host, (BillingItem.Logs, 1)), "WORKSPACE_LOCKED");
        Assert.True((await host.SettlementAsync(aws.Id)).Locked);
        await host.Operator.Settlement.ProcessArrearsAsync(new ProcessArrearsRequest());
        var locked = await host.NotificationsAsync(aws.Account.Id, NotificationKind.WorkspaceLocked);
        Assert.Equal(3, locked.Count);
        Assert.All(locked, n => Assert.Equal($"Workspace {aws.Workspace.Workspace.Name} is locked: its cloud subscription was cancelled", n.Subject));
        Assert.All(locked, n => Assert.Contains("Changing the settlement method", n.Body));
    }

    [Fact]
    public async Task After_a_cancellation_the_days_that_end_later_are_paid_by_the_billing_account_and_nothing_more_is_metered()
    {
        using var host = new BillingHost();
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        await aws.ReportAsync(host, (BillingItem.Logs, 10_000_000));
        var metered = await host.EndDayAsync("cn2"); // ended before the cancellation: AWS pays it
        Assert.Equal(1500, (await host.BillAsync(aws.Id, metered)).CloudAmount.Cents());

        var cancelled = await host.Operator.CloudMarketplace.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest { CloudAccountId = aws.CloudAccountId });
        var lockAt = Assert.Single(cancelled.Workspaces).LockTime;
        await host.RechargeAsync(aws.Account.Id, 10m);
        await aws.ReportAsync(host, (BillingItem.Logs, 10_000_000));
        var after = await host.EndDayAsync("cn2");

        // The workspace still has the AWS method (its Owner has not changed it), but AWS takes no more
        // metering: the day is paid from the bound billing account's wallet, cash then arrears.
        Assert.Equal(SettlementMethod.Aws, (await host.SettlementAsync(aws.Id)).Method);
        var bill = await host.BillAsync(aws.Id, after);
        Assert.Equal((DailyBillStatus.Charged, SettlementMethod.BillingCenter, ""), (bill.Status, bill.Method, bill.CloudAccountId));
        Assert.Equal((1500, 1000, 500, 0), (bill.Total.Cents(), bill.PaidByCash.Cents(), bill.Arrears.Cents(), bill.CloudAmount.Cents()));
        // The metered day's record is past AWS's 6 hours by now: it is listed as expired, and no day after it was metered.
        Assert.Empty(await host.PendingBatchesAsync(CloudProvider.Aws, aws.CloudAccountId));
        var records = (await host.ExpiredBatchesAsync(aws.CloudAccountId)).SelectMany(b => b.Records).ToList();
        Assert.Equal([(metered.Year, metered.Month, metered.Day)], records.Select(r => (r.Day.Year, r.Day.Month, r.Day.Day)).Distinct());
        // The cancellation's countdown stands (the arrears would lock later).
        Assert.Equal(lockAt, (await host.SettlementAsync(aws.Id)).LockTime);
    }

    [Fact]
    public async Task After_a_cancellation_the_owner_escapes_the_lock_by_moving_to_the_billing_center()
    {
        using var host = new BillingHost();
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        // The method changed to AWS this month: cancel late in the month, so that the next month
        // (when the Owner may change again) starts before the lock.
        host.Clock.Advance(new DateTimeOffset(2026, 11, 25, 12, 0, 0, CloudKit.ChinaOffset) - host.Clock.GetUtcNow());
        var cancelled = await host.Operator.CloudMarketplace.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest { CloudAccountId = aws.CloudAccountId });
        var lockAt = Assert.Single(cancelled.Workspaces).LockTime.ToDateTimeOffset();
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 12, 0, 0, CloudKit.ChinaOffset), lockAt);

        host.Clock.Advance(new DateTimeOffset(2026, 12, 1, 9, 0, 0, CloudKit.ChinaOffset) - host.Clock.GetUtcNow());
        var moved = (await aws.Workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(new ChangeSettlementMethodRequest
        {
            WorkspaceId = aws.Id, Method = SettlementMethod.BillingCenter,
        })).Settlement;
        Assert.Equal((SettlementMethod.BillingCenter, "", false), (moved.Method, moved.CloudAccountId, moved.Locked));
        Assert.Null(moved.LockTime);

        host.Clock.Advance(lockAt.AddDays(1) - host.Clock.GetUtcNow());
        await aws.ReportAsync(host, (BillingItem.Logs, 1)); // no lock any more
        Assert.False((await host.SettlementAsync(aws.Id)).Locked);
    }

    [Fact]
    public async Task Paying_arrears_of_the_billing_account_does_not_end_a_cancelled_subscriptions_countdown()
    {
        using var host = new BillingHost();
        var aws = await host.CloudWorkspaceAsync("cn2", CloudProvider.Aws);
        // A second workspace of the same billing account, on the billing center, runs into arrears.
        var wallet = await host.CreateWorkspaceAsync("cn2");
        await host.UpgradeAsync(wallet, aws.Account);
        host.Clock.Advance(TimeSpan.FromHours(1));
        var collector = await Usage.UsageTestKit.CollectorAsync(host, wallet);
        await Usage.UsageTestKit.ReportAsync(collector, "agent", 1, Usage.UsageTestKit.Record(BillingItem.Logs, 10_000_000, host.Clock.GetUtcNow()));
        var day = await host.EndDayAsync("cn2");
        Assert.Equal(1500, (await host.BillAsync(wallet.Id, day)).Arrears.Cents()); // 10.00 units × 1.5 = 15.00, no cash

        var cancelled = await host.Operator.CloudMarketplace.CancelCloudSubscriptionAsync(new CancelCloudSubscriptionRequest { CloudAccountId = aws.CloudAccountId });
        var lockAt = Assert.Single(cancelled.Workspaces).LockTime;

        await host.RechargeAsync(aws.Account.Id, 15m); // pays the arrears in full
        Assert.Equal(0, (await host.WalletAsync(aws.Account.Id)).Arrears.Cents());
        Assert.Null((await host.SettlementAsync(wallet.Id)).LockTime);
        Assert.Equal(lockAt, (await host.SettlementAsync(aws.Id)).LockTime);
    }
}
