using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Settlement;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.Cloud;

/// <summary>
/// What the marketplace integration (with the operator token) does with metering records: list the
/// pending and failed ones of a provider in that provider's batches, and report what the marketplace
/// said. Outcomes are conditional updates: a record once sent stays sent, whoever reports what later.
/// An AWS record not acknowledged as sent <see cref="CloudMeteringRecord.AwsSendBy"/> after its hour expires (AWS would
/// refuse it, and its whole batch with it); an operator reissues it once AWS's reports show it was not metered.
/// </summary>
public sealed class CloudMarketplace(BillingDbContext db, MeteringRecordFormer former, MeteringMetrics metrics, TimeProvider clock, ILogger<CloudMarketplace> logger)
{
    public const int MaxAcknowledgements = 1000;
    private const int MaxFailureReason = 512;

    /// <summary>
    /// ListCloudMeteringRecords: forms the records that are due, then returns a page of the provider's
    /// records still to send (pending, or failed and to be resent), or AWS's expired records, or the AWS records
    /// metered twice, ordered by cloud account, in batches of one cloud account and at most the provider's batch size.
    /// </summary>
    public async Task<(IReadOnlyList<MeteringBatch> Batches, string NextPageToken)> ListAsync(
        Caller caller, CloudProvider provider, string? cloudAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken,
        bool expired = false, bool meteredTwice = false)
    {
        caller.RequireOperator();
        var which = meteredTwice ? "metered-twice" : expired ? "expired" : "to-send";
        var list = $"cloud_metering_records:{(int)provider}:{cloudAccountId}:{which}";
        var validator = new RequestValidator().Defined(provider, "provider")
            .Check(!expired || provider == CloudProvider.Aws, "expired", "is for AWS records only: other marketplaces take a record at any age")
            .Check(!meteredTwice || provider == CloudProvider.Aws, "metered_twice", "is for AWS records only: only AWS's records are reissued")
            .Check(!(expired && meteredTwice), "metered_twice", "cannot be given with expired: list one or the other");
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
        await ExpireAsync(cancellationToken);

        var batchSize = MarketplaceBatchSizes.Of(provider);
        var size = pageSize == 0 ? Math.Min(Paging.MaxPageSize, 4 * batchSize) : pageSize;
        var query = db.CloudMeteringRecords.AsNoTracking()
            .Where(r => r.Provider == provider && (meteredTwice
                ? r.Status == MeteringRecordStatus.Sent && r.ReplacedBy != null
                : expired
                    ? r.Status == MeteringRecordStatus.Expired
                    : r.Status == MeteringRecordStatus.Pending || r.Status == MeteringRecordStatus.Failed));
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
    /// AWS records still to send whose hour is <see cref="CloudMeteringRecord.AwsSendBy"/> old become Expired: AWS would
    /// refuse them soon, and each batch they are in.
    /// </summary>
    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var hourStartedBefore = clock.GetUtcNow() - CloudMeteringRecord.AwsSendBy;
        var expired = await db.CloudMeteringRecords
            .Where(r => r.Provider == CloudProvider.Aws && r.UsageTime <= hourStartedBefore
                && (r.Status == MeteringRecordStatus.Pending || r.Status == MeteringRecordStatus.Failed))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, MeteringRecordStatus.Expired), cancellationToken);
        if (expired > 0)
        {
            metrics.Expired(expired);
            logger.LogWarning("{Records} AWS metering records expired unsent: AWS no longer takes them. Check AWS's usage reports, then reissue those it did not meter (docs/api.md)", expired);
        }
    }

    /// <summary>
    /// ReissueCloudMeteringRecord: in one transaction an expired AWS record becomes Reissued and a new part of its day and
    /// item, in the current hour, takes its lines and amount (<see cref="MeteringRecordFormer.ReplaceAsync"/>). A record
    /// reissued before is answered as it is (a replay).
    /// </summary>
    public async Task<MeteringReissue> ReissueAsync(Caller caller, string? recordId, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        new RequestValidator()
            .Check(MeteringRecordFormer.IsRecordId(recordId), "record_id", "must be the record_id of a listed record (cmr_ and 32 hex digits)")
            .ThrowIfInvalid();
        await ExpireAsync(cancellationToken);
        // A lost race (an acknowledgement, another operator, a record formed in this hour) is answered from what is there then.
        for (var attempt = 1; ; attempt++)
        {
            var record = await FindAsync(recordId!, cancellationToken) ?? throw Errors.NotFound(ResourceTypes.MeteringRecord, recordId!);
            if (record.Status == MeteringRecordStatus.Reissued)
            {
                return new MeteringReissue(record, await HolderAsync(record, cancellationToken), Replayed: true);
            }
            if (record.Status != MeteringRecordStatus.Expired)
            {
                throw NotExpired(record);
            }
            var hour = MeteringRecordFormer.HourOf(clock.GetUtcNow());
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                // The record's row first: on PostgreSQL its lock orders this against an acknowledgement of it.
                if (await db.CloudMeteringRecords.Where(r => r.Id == record.Id && r.Status == MeteringRecordStatus.Expired)
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, MeteringRecordStatus.Reissued), cancellationToken) == 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    continue;
                }
                var replacement = await former.ReplaceAsync(record, hour, cancellationToken);
                if (replacement is null)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    throw HourTaken(record, hour.AddHours(1));
                }
                await db.CloudMeteringRecords.Where(r => r.Id == record.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.ReplacedBy, replacement.Id), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                metrics.Reissued();
                logger.LogWarning("Metering record {Record} ({CloudAccount} {Day} {Item}, {Amount} cents) was reissued by an operator as {Replacement}",
                    record.Id, record.CloudAccountId, record.BillingDay, record.Item, record.Amount, replacement.Id);
                return new MeteringReissue((await FindAsync(record.Id, cancellationToken))!, replacement, Replayed: false);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) || DbErrors.IsConcurrencyConflict(e))
            {
                await transaction.RollbackAsync(CancellationToken.None);
                if (attempt == 3)
                {
                    throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, $"Metering record {record.Id} changed while it was reissued; reissue it again.");
                }
            }
        }
    }

    private Task<CloudMeteringRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.CloudMeteringRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>
    /// The record that holds the lines of a reissued one: the end of its chain of replacements (a replacement may
    /// itself expire and be reissued). Null when the chain is broken, which no write makes.
    /// </summary>
    private async Task<CloudMeteringRecord?> HolderAsync(CloudMeteringRecord reissued, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { reissued.Id };
        var holder = reissued.ReplacedBy is { } first ? await FindAsync(first, cancellationToken) : null;
        while (holder is { Status: MeteringRecordStatus.Reissued, ReplacedBy: { } next } && seen.Add(holder.Id))
        {
            holder = await FindAsync(next, cancellationToken);
        }
        return holder is null || seen.Contains(holder.Id) ? null : holder;
    }

    /// <summary>
    /// AWS accepted a record after it was reissued: the record that holds its lines now is withdrawn unless sent, and
    /// its lines come back, so that the quantity is metered once. When that record was sent as well, AWS metered the
    /// quantity twice: the record keeps <c>ReplacedBy</c> to say so. A holder that changes meanwhile (on PostgreSQL,
    /// its reissue committing while this waits for its row) is looked up again.
    /// </summary>
    private async Task TakeBackAsync(string recordId, CancellationToken cancellationToken)
    {
        for (var look = 0; look < 8; look++)
        {
            var record = (await FindAsync(recordId, cancellationToken))!;
            if (await HolderAsync(record, cancellationToken) is not { } holder)
            {
                return;
            }
            if (holder.Status == MeteringRecordStatus.Sent)
            {
                metrics.MeteredTwice();
                logger.LogError("Metering record {Record} was accepted by AWS after it was reissued, and so was {Holder}: AWS metered its quantity twice", recordId, holder.Id);
                return;
            }
            var withdrawn = await db.CloudMeteringRecords
                .Where(r => r.Id == holder.Id && (r.Status == MeteringRecordStatus.Pending || r.Status == MeteringRecordStatus.Failed || r.Status == MeteringRecordStatus.Expired))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, MeteringRecordStatus.Reissued).SetProperty(r => r.ReplacedBy, recordId), cancellationToken);
            if (withdrawn == 1)
            {
                await db.CloudMeteringLines.Where(l => l.RecordId == holder.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.RecordId, recordId), cancellationToken);
                await db.CloudMeteringRecords.Where(r => r.Id == recordId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ReplacedBy, (string?)null), cancellationToken);
                logger.LogWarning("Metering record {Record} was accepted by AWS after it was reissued: {Holder} is withdrawn and its lines are back on it", recordId, holder.Id);
                return;
            }
        }
        throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, $"The replacements of metering record {recordId} kept changing; acknowledge it again.");
    }

    private static BillingException HourTaken(CloudMeteringRecord record, DateTimeOffset next) =>
        Errors.Precondition(ErrorReasons.MeteringHourTaken, $"cloud_metering_records/{record.Id}",
                $"AWS has a {Usage.BillingItems.Get(record.Item).Code} record of this customer in this hour; reissue {record.Id} at or after {Errors.Instant(next)}.")
            .With("record_id", record.Id)
            .With("retry_at", Errors.Instant(next));

    private static BillingException NotExpired(CloudMeteringRecord record)
    {
        var subject = $"cloud_metering_records/{record.Id}";
        var why = record.Provider != CloudProvider.Aws
            ? $"{record.Provider} takes a metering record at any age: resend it."
            : record.Status == MeteringRecordStatus.Sent
                ? "AWS accepted it already."
                : $"it is sent until {Errors.Instant(record.UsageTime + CloudMeteringRecord.AwsSendBy)}: resend it.";
        return Errors.Precondition(ErrorReasons.MeteringRecordNotExpired, subject, $"Metering record {record.Id} is not expired: {why}")
            .With("record_id", record.Id)
            .With("status", record.Status.ToString().ToUpperInvariant());
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
                var record = db.CloudMeteringRecords.Where(r => r.Id == a.RecordId);
                Task<int> MarkSentAsync(IQueryable<CloudMeteringRecord> records) => records.ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, MeteringRecordStatus.Sent)
                    .SetProperty(r => r.Attempts, r => r.Attempts + 1)
                    .SetProperty(r => r.FailureReason, (string?)null)
                    .SetProperty(r => r.LastAttemptAt, now)
                    .SetProperty(r => r.SentAt, now), cancellationToken);
                if (a.Outcome == MeteringOutcome.Sent)
                {
                    // Whatever it was, the marketplace took it; a reissued record (checked last, on its own) takes its lines back.
                    if (await MarkSentAsync(record.Where(r => r.Status == MeteringRecordStatus.Pending || r.Status == MeteringRecordStatus.Failed
                            || r.Status == MeteringRecordStatus.Expired)) == 0
                        && await MarkSentAsync(record.Where(r => r.Status == MeteringRecordStatus.Reissued)) == 1)
                    {
                        await TakeBackAsync(a.RecordId!, cancellationToken);
                    }
                }
                else
                {
                    var reason = a.FailureReason!.Trim();
                    // An expired or reissued record stays so: it is not sent again.
                    await record.Where(r => r.Status == MeteringRecordStatus.Pending || r.Status == MeteringRecordStatus.Failed).ExecuteUpdateAsync(s => s
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
