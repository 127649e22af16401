using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Settlement;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Cloud;

/// <summary>
/// What the marketplace integration (with the operator token) does with metering records: list the
/// pending and failed ones of a provider in that provider's batches, and report what the marketplace
/// said. Outcomes are conditional updates: a record once sent stays sent, whoever reports what later.
/// </summary>
public sealed class CloudMarketplace(BillingDbContext db, MeteringRecordFormer former, TimeProvider clock)
{
    public const int MaxAcknowledgements = 1000;
    private const int MaxFailureReason = 512;

    /// <summary>
    /// ListCloudMeteringRecords: forms the records that are due, then returns a page of the provider's
    /// records still to send (pending, or failed and to be resent), ordered by cloud account, in
    /// batches of one cloud account and at most the provider's batch size.
    /// </summary>
    public async Task<(IReadOnlyList<MeteringBatch> Batches, string NextPageToken)> ListAsync(
        Caller caller, CloudProvider provider, string? cloudAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        var list = $"cloud_metering_records:{(int)provider}:{cloudAccountId}";
        var validator = new RequestValidator().Defined(provider, "provider");
        if (!string.IsNullOrEmpty(cloudAccountId))
        {
            validator.Id(cloudAccountId, "cloud_account_id", "ca");
        }
        validator.PageSize(pageSize).PageToken(pageToken, list, out var after).ThrowIfInvalid();
        if (!string.IsNullOrEmpty(cloudAccountId))
        {
            var account = await db.CloudAccounts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cloudAccountId, cancellationToken)
                ?? throw Errors.NotFound(ResourceTypes.CloudAccount, cloudAccountId);
            if (account.Provider != provider)
            {
                throw Errors.Precondition(ErrorReasons.CloudProviderMismatch, $"cloud_accounts/{cloudAccountId}",
                    $"Cloud account {cloudAccountId} is a {account.Provider} account, not a {provider} account.").With("cloud_account_id", cloudAccountId);
            }
        }

        await former.FormDueAsync(cancellationToken);

        var batchSize = MarketplaceBatchSizes.Of(provider);
        var size = pageSize == 0 ? Math.Min(Paging.MaxPageSize, 4 * batchSize) : pageSize;
        var query = db.CloudMeteringRecords.AsNoTracking()
            .Where(r => r.Provider == provider && r.Status != MeteringRecordStatus.Sent);
        if (!string.IsNullOrEmpty(cloudAccountId))
        {
            query = query.Where(r => r.CloudAccountId == cloudAccountId);
        }
        var (records, next) = await new PageRequest(list, size, after).FetchAsync(query, r => r.CloudAccountId + "/" + r.Id, cancellationToken, oldestFirst: true);
        var batches = records
            .GroupBy(r => r.CloudAccountId)
            .SelectMany(g => g.Chunk(batchSize).Select(chunk => new MeteringBatch(g.Key, chunk)))
            .ToList();
        return (batches, next);
    }

    /// <summary>
    /// The cloud-settled bills with a line on one of the <paramref name="sentIds"/> whose every metering
    /// line is now on a sent record leave AwaitingCloud for Charged, as the contract's bill status says.
    /// </summary>
    private async Task SettleAcknowledgedBillsAsync(List<string> sentIds, CancellationToken cancellationToken)
    {
        if (sentIds.Count == 0)
        {
            return;
        }
        await db.DailyBills
            .Where(b => b.Status == DailyBillStatus.AwaitingCloud && b.ChargedAt != null
                && db.CloudMeteringLines.Any(l => l.DailyBillId == b.Id && sentIds.Contains(l.RecordId!))
                && !db.CloudMeteringLines.Any(l => l.DailyBillId == b.Id
                    && !db.CloudMeteringRecords.Any(r => r.Id == l.RecordId && r.Status == MeteringRecordStatus.Sent)))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, DailyBillStatus.Charged), cancellationToken);
    }

    /// <summary>
    /// AcknowledgeCloudMeteringRecords: marks records sent, or failed with the marketplace's reason (a
    /// failed record is listed again), and in the same transaction the bills they settle completely.
    /// All or nothing: an unknown record id changes nothing.
    /// </summary>
    public async Task<IReadOnlyList<CloudMeteringRecord>> AcknowledgeAsync(
        Caller caller, IReadOnlyList<MeteringAcknowledgement> acknowledgements, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        var validator = new RequestValidator()
            .Check(acknowledgements.Count is > 0 and <= MaxAcknowledgements, "results", $"must have 1 to {MaxAcknowledgements} results");
        if (acknowledgements.Count > MaxAcknowledgements)
        {
            validator.ThrowIfInvalid();
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < acknowledgements.Count; i++)
        {
            var a = acknowledgements[i];
            validator.Check(MeteringRecordFormer.IsRecordId(a.RecordId), $"results[{i}].record_id", "must be the record_id of a listed record (cmr_ and 32 hex digits)")
                .Check(string.IsNullOrEmpty(a.RecordId) || seen.Add(a.RecordId), $"results[{i}].record_id", "appears in an earlier result; give each record once")
                .Check(Enum.IsDefined(a.Outcome), $"results[{i}].outcome", "must be METERING_OUTCOME_SENT or METERING_OUTCOME_FAILED");
            if (a.Outcome == MeteringOutcome.Failed)
            {
                validator.Text(a.FailureReason?.Trim(), $"results[{i}].failure_reason", MaxFailureReason);
            }
            else
            {
                validator.Check(string.IsNullOrEmpty(a.FailureReason), $"results[{i}].failure_reason", "must be empty unless the outcome is METERING_OUTCOME_FAILED");
            }
        }
        validator.ThrowIfInvalid();

        var ids = acknowledgements.Select(a => a.RecordId!).ToList();
        var known = await db.CloudMeteringRecords.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
        if (ids.FirstOrDefault(id => !known.Contains(id)) is { } unknown)
        {
            throw Errors.NotFound(ResourceTypes.MeteringRecord, unknown);
        }

        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var a in acknowledgements)
            {
                var pending = db.CloudMeteringRecords.Where(r => r.Id == a.RecordId && r.Status != MeteringRecordStatus.Sent);
                if (a.Outcome == MeteringOutcome.Sent)
                {
                    await pending.ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.Status, MeteringRecordStatus.Sent)
                        .SetProperty(r => r.Attempts, r => r.Attempts + 1)
                        .SetProperty(r => r.FailureReason, (string?)null)
                        .SetProperty(r => r.LastAttemptAt, now)
                        .SetProperty(r => r.SentAt, now), cancellationToken);
                }
                else
                {
                    var reason = a.FailureReason!.Trim();
                    await pending.ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.Status, MeteringRecordStatus.Failed)
                        .SetProperty(r => r.Attempts, r => r.Attempts + 1)
                        .SetProperty(r => r.FailureReason, reason)
                        .SetProperty(r => r.LastAttemptAt, now), cancellationToken);
                }
            }
            await SettleAcknowledgedBillsAsync(acknowledgements.Where(a => a.Outcome == MeteringOutcome.Sent).Select(a => a.RecordId!).ToList(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var records = await db.CloudMeteringRecords.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken);
        return ids.Select(id => records.First(r => r.Id == id)).ToList();
    }
}
