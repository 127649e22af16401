using Guance.Billing.V1;

namespace Guance.Billing.Client.Usage;

/// <summary>A sealed batch: its request bytes (StreamUsageRequest) and where the UsageBatch starts in them.</summary>
internal sealed class PendingBatch(long localId, long sequence, byte[] request, int batchOffset, int records, bool sentBefore)
{
    /// <summary>The name of its spool file, which stays while the sequence may change.</summary>
    public long LocalId { get; } = localId;
    public long Sequence { get; private set; } = sequence;
    public byte[] Request { get; private set; } = request;
    public int BatchOffset { get; private set; } = batchOffset;
    public int Records { get; private set; } = records;
    public bool SentBefore { get; set; } = sentBefore;
    public long SentAt { get; set; }

    public ReadOnlySpan<byte> BatchBytes => Request.AsSpan(BatchOffset);

    public UsageBatch Parse() => UsageBatch.Parser.ParseFrom(Request, BatchOffset, Request.Length - BatchOffset);

    public void Replace((byte[] Request, int BatchOffset, int Records) encoded, long sequence)
    {
        (Request, BatchOffset, Records, Sequence) = (encoded.Request, encoded.BatchOffset, encoded.Records, sequence);
    }
}
