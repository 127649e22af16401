using System.Buffers;
using System.Runtime.CompilerServices;
using Guance.Billing.Usage;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>
/// Reads a StreamUsage batch message straight into pooled <see cref="UsageRecord"/>s, without the generated parser's
/// two objects per record (the record and its timestamp) and its record list's large arrays: at millions of records a
/// second those were most of the host's allocations, and its collections paused every call, reads included
/// (docs/performance.md, "Ingestion without an object per record").
/// It takes only the plain encoding that clients send: one batch field holding the sequence and the records, each
/// record holding its item, quantity and at most one observed_at of seconds and nanos. It declines anything else (an
/// open, an unknown field or wire type, a message field given twice, which protobuf would merge, truncated or
/// over-long bytes), and the generated parser reads that message as before, a malformed one included. So what it
/// accepts, it reads exactly as the generated parser followed by <see cref="UsageMapping.ToRecords"/> would.
/// </summary>
public static class UsageBatchDecoder
{
    private const uint BatchField = 2 << 3 | 2;
    private const uint SequenceField = 1 << 3 | 0;
    private const uint RecordField = 2 << 3 | 2;
    private const uint ItemField = 1 << 3 | 0;
    private const uint QuantityField = 2 << 3 | 0;
    private const uint ObservedAtField = 3 << 3 | 2;
    private const uint SecondsField = 1 << 3 | 0;
    private const uint NanosField = 2 << 3 | 0;

    // The decoded records of a batch message, from its parse to its handler, which takes them (RentRecords).
    private static readonly ConditionalWeakTable<V1.UsageBatch, Decoded> Held = new();

    private sealed record Decoded(UsageRecord[] Records, int Count);

    /// <summary>The request, its batch's records held aside for <see cref="RentRecords"/>; null when declined.</summary>
    public static V1.StreamUsageRequest? TryDecode(ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return TryDecode(payload.FirstSpan);
        }
        var length = checked((int)payload.Length);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(copy);
            return TryDecode(copy.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    internal static V1.StreamUsageRequest? TryDecode(ReadOnlySpan<byte> message)
    {
        var request = new WireReader(message);
        if (!request.TryTag(out var tag) || tag != BatchField || !request.TryLengthDelimited(out var batchBytes) || !request.AtEnd
            || !TryWalk(batchBytes, null, out var sequence, out var count))
        {
            return null;
        }
        var records = ArrayPool<UsageRecord>.Shared.Rent(Math.Max(1, count));
        TryWalk(batchBytes, records, out _, out _);
        var batch = new V1.UsageBatch { Sequence = sequence };
        Held.AddOrUpdate(batch, new Decoded(records, count));
        return new V1.StreamUsageRequest { Batch = batch };
    }

    /// <summary>
    /// The batch's records in an array from <see cref="ArrayPool{T}.Shared"/> (return it there), and how many:
    /// those this decoder read, else those the generated parser read.
    /// </summary>
    public static (UsageRecord[] Records, int Count) RentRecords(V1.UsageBatch batch)
    {
        if (Held.TryGetValue(batch, out var decoded) && Held.Remove(batch))
        {
            return (decoded.Records, decoded.Count);
        }
        var records = ArrayPool<UsageRecord>.Shared.Rent(Math.Max(1, batch.Records.Count));
        UsageMapping.ToRecords(batch.Records, records);
        return (records, batch.Records.Count);
    }

    /// <summary>Checks a batch's bytes (and with <paramref name="output"/>, writes its records there); false to decline.</summary>
    private static bool TryWalk(ReadOnlySpan<byte> bytes, UsageRecord[]? output, out long sequence, out int count)
    {
        var batch = new WireReader(bytes);
        sequence = 0;
        count = 0;
        while (!batch.AtEnd)
        {
            if (!batch.TryTag(out var tag))
            {
                return false;
            }
            if (tag == SequenceField && batch.TryVarint(out var value))
            {
                sequence = unchecked((long)value);
            }
            else if (tag == RecordField && batch.TryLengthDelimited(out var recordBytes) && TryRecord(recordBytes, out var record))
            {
                if (output is not null)
                {
                    output[count] = record;
                }
                count++;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private static bool TryRecord(ReadOnlySpan<byte> bytes, out UsageRecord record)
    {
        var fields = new WireReader(bytes);
        int item = 0;
        long quantity = 0;
        DateTimeOffset? observedAt = null;
        var timestamped = false;
        record = default;
        while (!fields.AtEnd)
        {
            if (!fields.TryTag(out var tag))
            {
                return false;
            }
            if (tag == ItemField && fields.TryVarint(out var itemValue))
            {
                // An enum reads as the varint's low 32 bits.
                item = unchecked((int)itemValue);
            }
            else if (tag == QuantityField && fields.TryVarint(out var quantityValue))
            {
                quantity = unchecked((long)quantityValue);
            }
            else if (tag == ObservedAtField && !timestamped && fields.TryLengthDelimited(out var timestampBytes) && TryTimestamp(timestampBytes, out observedAt))
            {
                timestamped = true;
            }
            else
            {
                return false;
            }
        }
        record = new UsageRecord(item, quantity, observedAt);
        return true;
    }

    private static bool TryTimestamp(ReadOnlySpan<byte> bytes, out DateTimeOffset? instant)
    {
        var fields = new WireReader(bytes);
        long seconds = 0;
        int nanos = 0;
        instant = null;
        while (!fields.AtEnd)
        {
            if (!fields.TryTag(out var tag))
            {
                return false;
            }
            if (tag == SecondsField && fields.TryVarint(out var secondsValue))
            {
                seconds = unchecked((long)secondsValue);
            }
            else if (tag == NanosField && fields.TryVarint(out var nanosValue))
            {
                nanos = unchecked((int)nanosValue);
            }
            else
            {
                return false;
            }
        }
        instant = TimeMapping.InstantOrNull(seconds, nanos);
        return true;
    }

    /// <summary>Protobuf's wire format, as far as the decoder takes it; every Try declines what it cannot read plainly.</summary>
    private ref struct WireReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public readonly bool AtEnd => _at == _bytes.Length;

        /// <summary>A varint of at most ten bytes whose tenth carries only the 64th bit (else protobuf's own reading decides).</summary>
        public bool TryVarint(out ulong value)
        {
            value = 0;
            for (var shift = 0; shift < 70 && _at < _bytes.Length; shift += 7)
            {
                var b = _bytes[_at++];
                if (shift == 63 && b > 1)
                {
                    return false;
                }
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>A field's tag: a field number of at least 1 and its wire type, within 32 bits.</summary>
        public bool TryTag(out uint tag)
        {
            tag = 0;
            if (!TryVarint(out var value) || value > uint.MaxValue || value >> 3 == 0)
            {
                return false;
            }
            tag = (uint)value;
            return true;
        }

        public bool TryLengthDelimited(out ReadOnlySpan<byte> field)
        {
            field = default;
            if (!TryVarint(out var length) || length > (ulong)(_bytes.Length - _at))
            {
                return false;
            }
            field = _bytes.Slice(_at, (int)length);
            _at += (int)length;
            return true;
        }
    }
}
