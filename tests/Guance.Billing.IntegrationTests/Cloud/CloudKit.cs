using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Cloud;

/// <summary>A commercial workspace settling through a cloud account, with a collector that reports for it.</summary>
public sealed record CloudWorkspace(TestWorkspace Workspace, TestBillingAccount Account, string CloudAccountId, string ProviderAccountId, Api Collector)
{
    public string Id => Workspace.Id;
    public long Sequence { get; set; }
}

/// <summary>
/// Builds cloud-settled workspaces and lives their days through the public API. Every site used here
/// is a China site (UTC+8), so a billing day runs from 16:00 UTC of the day before.
/// </summary>
public static class CloudKit
{
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Every item with a quantity that rates to a round amount on the CN price list at the default retention.</summary>
    public static readonly (BillingItem Item, long Quantity, long Cents)[] AllItems =
    [
        (BillingItem.TimeSeries, 10_000, 700),        // 10,000 / 1,000 = 10.00 units × 0.7 (7 days) = 7.00
        (BillingItem.Logs, 10_000_000, 1500),         // 10,000,000 / 1,000,000 = 10.00 units × 1.5 (14 days) = 15.00
        (BillingItem.BackupLogs, 1_000_000_000_000, 700), // 10^12 bytes / 10^9 = 1,000.00 GB × 0.007 = 7.00
        (BillingItem.NetworkHosts, 3, 600),           // 3 hosts × 2 = 6.00
        (BillingItem.SessionReplay, 2_000, 500),      // 2,000 / 1,000 = 2.00 units × 2.5 = 5.00
        (BillingItem.ApmTrace, 1_000_000, 300),       // 1,000,000 / 1,000,000 = 1.00 unit × 3 (7 days) = 3.00
        (BillingItem.ApmProfile, 100_000, 300),       // 100,000 / 10,000 = 10.00 units × 0.3 (7 days) = 3.00
        (BillingItem.RumPv, 20_000, 200),             // 20,000 / 10,000 = 2.00 units × 1 (7 days) = 2.00
        (BillingItem.SyntheticTests, 40_000, 400),    // 40,000 / 10,000 = 4.00 units × 1 = 4.00
        (BillingItem.Triggers, 10_000, 100),          // 10,000 / 10,000 = 1.00 unit × 1 = 1.00
        (BillingItem.Sms, 50, 500),                   // 50 / 10 = 5.00 units × 1 = 5.00
    ];

    /// <summary>
    /// A workspace on <paramref name="siteCode"/>, upgraded (bound to <paramref name="account"/> or a new
    /// billing account), with a cloud account of <paramref name="provider"/> added by that account and
    /// chosen by the Owner. The clock then moves an hour on, so that the hour it reports in counts.
    /// </summary>
    public static async Task<CloudWorkspace> CloudWorkspaceAsync(this BillingHost host, string siteCode, CloudProvider provider,
        bool arbitrarySelection = false, TestBillingAccount? account = null, string? cloudAccountId = null)
    {
        var workspace = await host.CreateWorkspaceAsync(siteCode);
        account = await host.UpgradeAsync(workspace, account);
        var providerAccountId = provider == CloudProvider.Aws ? "123456789012" : $"acct-{Guid.NewGuid():N}"[..20];
        if (cloudAccountId is null)
        {
            var added = await account.Client.AddCloudAccountAsync(new AddCloudAccountRequest
            {
                BillingAccountId = account.Id,
                Provider = provider,
                ProviderAccountId = providerAccountId,
                MarketplaceInstanceId = $"mkt-{Guid.NewGuid():N}",
                DisplayName = "marketplace",
            });
            cloudAccountId = added.CloudAccount.CloudAccountId;
            providerAccountId = added.CloudAccount.ProviderAccountId;
        }
        if (arbitrarySelection)
        {
            await host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest { WorkspaceId = workspace.Id, Enabled = true });
        }
        await workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(new ChangeSettlementMethodRequest
        {
            WorkspaceId = workspace.Id,
            Method = provider switch
            {
                CloudProvider.Aws => SettlementMethod.Aws,
                CloudProvider.AlibabaCloud => SettlementMethod.AlibabaCloud,
                _ => SettlementMethod.HuaweiCloud,
            },
            CloudAccountId = cloudAccountId,
        });
        host.Clock.Advance(TimeSpan.FromHours(1));
        return new CloudWorkspace(workspace, account, cloudAccountId, providerAccountId, await host.CollectorAsync(workspace));
    }

    /// <summary>The China-site billing day the clock is in.</summary>
    public static DateOnly Today(this BillingHost host) => DateOnly.FromDateTime(host.Clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);

    /// <summary>Reports usage now (one record per item) for the workspace.</summary>
    public static async Task ReportAsync(this CloudWorkspace workspace, BillingHost host, params (BillingItem Item, long Quantity)[] usage)
    {
        var now = host.Clock.GetUtcNow();
        workspace.Sequence++;
        await workspace.Collector.ReportAsync("agent", workspace.Sequence, usage.Select(u => UsageTestKit.Record(u.Item, u.Quantity, now)).ToArray());
    }

    /// <summary>Moves the clock to 01:00 (site time) of the next day, and closes the day it left on each site.</summary>
    public static async Task<DateOnly> EndDayAsync(this BillingHost host, params string[] siteCodes)
    {
        var day = host.Today();
        var nextStart = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset);
        host.Clock.Advance(nextStart.AddHours(1) - host.Clock.GetUtcNow());
        foreach (var site in siteCodes)
        {
            await host.CloseDayAsync(site, day);
        }
        return day;
    }

    /// <summary>Every batch of the provider's pending records, all pages.</summary>
    public static Task<List<CloudMeteringBatch>> PendingBatchesAsync(this BillingHost host, CloudProvider provider, string cloudAccountId = "", int pageSize = 0) =>
        host.BatchesAsync(new ListCloudMeteringRecordsRequest { Provider = provider, CloudAccountId = cloudAccountId, PageSize = pageSize });

    /// <summary>Every batch of the expired AWS records, all pages.</summary>
    public static Task<List<CloudMeteringBatch>> ExpiredBatchesAsync(this BillingHost host, string cloudAccountId = "") =>
        host.BatchesAsync(new ListCloudMeteringRecordsRequest { Provider = CloudProvider.Aws, CloudAccountId = cloudAccountId, Expired = true });

    /// <summary>Every batch of the AWS records metered twice, all pages.</summary>
    public static Task<List<CloudMeteringBatch>> MeteredTwiceBatchesAsync(this BillingHost host, string cloudAccountId = "") =>
        host.BatchesAsync(new ListCloudMeteringRecordsRequest { Provider = CloudProvider.Aws, CloudAccountId = cloudAccountId, MeteredTwice = true });

    private static async Task<List<CloudMeteringBatch>> BatchesAsync(this BillingHost host, ListCloudMeteringRecordsRequest request)
    {
        var batches = new List<CloudMeteringBatch>();
        do
        {
            var page = await host.Operator.CloudMarketplace.ListCloudMeteringRecordsAsync(request);
            batches.AddRange(page.Batches);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return batches;
    }

    public static Task<AcknowledgeCloudMeteringRecordsResponse> AcknowledgeAsync(this BillingHost host, IEnumerable<string> sent, params (string RecordId, string Reason)[] failed)
    {
        var request = new AcknowledgeCloudMeteringRecordsRequest();
        request.Results.Add(sent.Select(id => new CloudMeteringResult { RecordId = id, Outcome = MeteringOutcome.Sent }));
        request.Results.Add(failed.Select(f => new CloudMeteringResult { RecordId = f.RecordId, Outcome = MeteringOutcome.Failed, FailureReason = f.Reason }));
        return host.Operator.CloudMarketplace.AcknowledgeCloudMeteringRecordsAsync(request).ResponseAsync;
    }

    /// <summary>The notifications of a kind of one billing account.</summary>
    public static async Task<List<Notification>> NotificationsAsync(this BillingHost host, string billingAccountId, NotificationKind kind)
    {
        var request = new ListNotificationsRequest { BillingAccountId = billingAccountId, PageSize = 1000 };
        request.Kinds.Add(kind);
        return (await host.Operator.BillingAccounts.ListNotificationsAsync(request)).Notifications.ToList();
    }
}
