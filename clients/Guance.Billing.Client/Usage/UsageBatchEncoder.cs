using Google.Protobuf;
using System.Buffers;
using Guance.Billing.V1;

namespace Guance.Billing.Client.Usage;

/// <summary>
/// Writes usage records straight into protobuf wire format (the fields of <see cref="UsageBatch"/>),
/// so that an agent producing a million records a second allocates nothing per record and each
/// batch is serialized exactly once: the same bytes go to the spool and on the wire.
/// </summary>
internal sealed class UsageBatchEncoder
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _length;

    public int Count { get; private set; }

    public void Add(int item, long quantity, long seconds, int nanos)
    {
        // UsageRecord: item (1, varint), quantity (2, varint), observed_at (3, Timestamp {seconds 1, nanos 2}).
        int timestampLength = (seconds != 0 ? 1 + VarintLength((ulong)seconds) : 0) + (nanos != 0 ? 1 + VarintLength((ulong)(long)nanos) : 0);
        int recordLength = (item != 0 ? 1 + VarintLength((ulong)(long)item) : 0)
            + (quantity != 0 ? 1 + VarintLength((ulong)quantity) : 0)
            + 1 + VarintLength((uint)timestampLength) + timestampLength;
        Ensure(1 + 5 + recordLength);
        var span = _buffer.AsSpan(_length);
        int at = 0;
        span[at++] = 0x12; // UsageBatch.records (2, length-delimited)
        at += WriteVarint(span[at..], (uint)recordLength);
        if (item != 0)
        {
            span[at++] = 0x08;
            at += WriteVarint(span[at..], (ulong)(long)item);
        }
        if (quantity != 0)
        {
            span[at++] = 0x10;
            at += WriteVarint(span[at..], (ulong)quantity);
        }
        span[at++] = 0x1a;
        at += WriteVarint(span[at..], (uint)timestampLength);
        if (seconds != 0)
        {
            span[at++] = 0x08;
            at += WriteVarint(span[at..], (ulong)seconds);
        }
        if (nanos != 0)
        {
            span[at++] = 0x10;
            at += WriteVarint(span[at..], (ulong)(long)nanos);
        }
        _length += at;
        Count++;
    }

    public void Add(UsageRecord record)
    {
        var stamp = record.ObservedAt;
        if (stamp is null)
        {
            // Without observed_at the host refuses the batch; send it as it is so that the refusal says so.
            Ensure(1 + 5 + 22);
            var span = _buffer.AsSpan(_length);
            int at = 0;
            span[at++] = 0x12;
            var inner = new UsageRecord { Item = record.Item, Quantity = record.Quantity };
            var size = inner.CalculateSize();
            at += WriteVarint(span[at..], (uint)size);
            inner.WriteTo(span.Slice(at, size));
            _length += at + size;
            Count++;
            return;
        }
        Add((int)record.Item, record.Quantity, stamp.Seconds, stamp.Nanos);
    }

    /// <summary>
    /// The StreamUsageRequest carrying the batch (field 2), with the sequence appended to the records (field
    /// order is free in protobuf); and where the UsageBatch starts in it, for the spool. Resets the encoder.
    /// </summary>
    public (byte[] Request, int BatchOffset, int Records) Seal(long sequence)
    {
        Ensure(11);
        _buffer[_length++] = 0x08; // UsageBatch.sequence (1, varint)
        _length += WriteVarint(_buffer.AsSpan(_length), (ulong)sequence);
        var header = 1 + VarintLength((uint)_length);
        var request = new byte[header + _length];
        request[0] = 0x12; // StreamUsageRequest.batch (2, length-delimited)
        WriteVarint(request.AsSpan(1), (uint)_length);
        _buffer.AsSpan(0, _length).CopyTo(request.AsSpan(header));
        var records = Count;
        _length = 0;
        Count = 0;
        return (request, header, records);
    }

    /// <summary>A batch's request from its records (for a batch read back from the spool, or rebuilt after a refusal).</summary>
    public static (byte[] Request, int BatchOffset, int Records) Encode(IEnumerable<UsageRecord> records, long sequence)
    {
        var encoder = new UsageBatchEncoder();
        foreach (var record in records)
        {
            encoder.Add(record);
        }
        return encoder.Seal(sequence);
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }

    private static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    private static int WriteVarint(Span<byte> span, ulong value)
    {
        int at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[at++] = (byte)value;
        return at;
    }
}
