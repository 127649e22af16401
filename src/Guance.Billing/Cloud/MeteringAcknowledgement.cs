namespace Guance.Billing.Cloud;

/// <summary>What the marketplace said about one record (values equal the contract's).</summary>
public enum MeteringOutcome
{
    Sent = 1,
    Failed = 2,
}

/// <summary>One record's outcome as a request carries it, before validation.</summary>
public sealed record MeteringAcknowledgement(string? RecordId, MeteringOutcome Outcome, string? FailureReason);

/// <summary>The records of one cloud account that go to the marketplace in one call.</summary>
public sealed record MeteringBatch(string CloudAccountId, IReadOnlyList<CloudMeteringRecord> Records);

/// <summary>What ReissueCloudMeteringRecord did: the record (now reissued), and the new part when it was formed at once.</summary>
public sealed record MeteringReissue(CloudMeteringRecord Record, CloudMeteringRecord? Replacement, bool Replayed);
