using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Host.Mapping;
using V1 = Guance.Billing.V1;
using Domain = Guance.Billing.Usage;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// The host reads a StreamUsage batch with <see cref="UsageBatchDecoder"/>, which must never read a message otherwise
/// than the generated parser: what it accepts it reads exactly as the parser followed by UsageMapping.ToRecords, what
/// the parser refuses it declines, and what protobuf would merge or keep as unknown it leaves to the parser. Checked
/// against the parser on random batches, on thousands of their byte-level mutations, in one piece and in several.
/// </summary>
public sealed class UsageBatchDecoderTests
{
    [Fact]
    public void Plain_batches_are_read_exactly_as_the_generated_parser_reads_them()
    {
        var random = new Random(20261206);
        for (var i = 0; i < 500; i++)
        {
            var bytes = RandomBatch(random).ToByteArray();
            foreach (var payload in Payloads(bytes, random))
            {
                var decoded = Decode(payload);
                Assert.NotNull(decoded); // a plain encoding is never left to the parser
                Assert.Equal(Reference(bytes), decoded);
            }
        }
    }

    [Fact]
    public void Mutated_bytes_are_read_as_the_parser_reads_them_or_left_to_it()
    {
        var random = new Random(6122026);
        var (accepted, declined) = (0, 0);
        for (var i = 0; i < 6_000; i++)
        {
            var bytes = Mutate(RandomBatch(random, maxRecords: 4).ToByteArray(), random);
            var reference = Reference(bytes);
            foreach (var payload in Payloads(bytes, random))
            {
                var decoded = Decode(payload);
                if (decoded is null)
                {
                    declined++;
                    continue;
                }
                accepted++;
                // Whatever the decoder takes, the parser takes too, as a batch, with the same records.
                Assert.Equal(reference, decoded);
            }
        }
        Assert.True(accepted > 1_000 && declined > 1_000, $"accepted {accepted}, declined {declined}: the mutations should exercise both");
    }

    [Fact]
    public void What_protobuf_merges_or_keeps_unknown_is_left_to_the_parser_and_the_handler_gets_its_records()
    {
        var at = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 6, 1, 2, 3, TimeSpan.Zero));
        var record = new V1.UsageRecord { Item = V1.BillingItem.Logs, Quantity = 5, ObservedAt = at };
        var batch = new V1.StreamUsageRequest { Batch = new V1.UsageBatch { Sequence = 7, Records = { record } } }.ToByteArray();
        byte[][] declined =
        [
            new V1.StreamUsageRequest { Open = new V1.UsageStreamOpen { CollectorId = "agent-1" } }.ToByteArray(),
            [.. batch, .. batch], // the batch twice: protobuf merges the two
            [.. batch, 0x78, 0x01], // an unknown field 15 after the batch
            Batch(Field(2, Record(Field(3, Seconds(100)), Field(3, Nanos(500))))), // observed_at twice: merged to (100 s, 500 ns)
            Batch(Field(2, [0x08, 0x01, 0x78, 0x02])), // an unknown field in a record
            Batch([0x0A, 0x00]), // field 1 (sequence) with the wire type of a message: kept as unknown
            [],
        ];
        foreach (var bytes in declined)
        {
            Assert.Null(Decode(new ReadOnlySequence<byte>(bytes)));
        }
        // The handler's reading of the merged timestamp, through the parser.
        var merged = V1.StreamUsageRequest.Parser.ParseFrom(declined[3]).Batch;
        var (records, count) = UsageBatchDecoder.RentRecords(merged);
        Assert.Equal(1, count);
        Assert.Equal(new Domain.UsageRecord(0, 0, DateTimeOffset.UnixEpoch.AddSeconds(100).AddTicks(5)), records[0]);
        ArrayPool<Domain.UsageRecord>.Shared.Return(records);
    }

    [Fact]
    public void A_batch_of_10000_records_is_read_without_an_object_per_record()
    {
        var random = new Random(5);
        var bytes = new V1.StreamUsageRequest { Batch = new V1.UsageBatch { Sequence = 1, Records = { Enumerable.Range(0, 10_000).Select(_ => RandomRecord(random)) } } }.ToByteArray();
        var payload = new ReadOnlySequence<byte>(bytes);
        Release(UsageBatchDecoder.TryDecode(payload)!); // the pool's first arrays of these sizes

        var before = GC.GetAllocatedBytesForCurrentThread();
        var request = UsageBatchDecoder.TryDecode(payload)!;
        var (records, count) = UsageBatchDecoder.RentRecords(request.Batch);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        ArrayPool<Domain.UsageRecord>.Shared.Return(records);

        Assert.Equal(10_000, count);
        // The generated parser allocates some 1 MB here: two objects per record and the list's growing arrays.
        Assert.True(allocated < 4_096, $"{allocated} bytes allocated");
    }

    private static List<Domain.UsageRecord>? Decode(ReadOnlySequence<byte> payload)
    {
        if (UsageBatchDecoder.TryDecode(payload) is not { } request)
        {
            return null;
        }
        Assert.Equal(V1.StreamUsageRequest.KindOneofCase.Batch, request.KindCase);
        var (records, count) = UsageBatchDecoder.RentRecords(request.Batch);
        var read = records.Take(count).Prepend(new Domain.UsageRecord(-1, request.Batch.Sequence, null)).ToList();
        ArrayPool<Domain.UsageRecord>.Shared.Return(records);
        return read;
    }

    /// <summary>The generated parser's reading, the sequence first; null when it refuses the bytes or they are not a batch.</summary>
    private static List<Domain.UsageRecord>? Reference(byte[] bytes)
    {
        V1.StreamUsageRequest request;
        try
        {
            request = V1.StreamUsageRequest.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        if (request.KindCase != V1.StreamUsageRequest.KindOneofCase.Batch)
        {
            return null;
        }
        var records = new Domain.UsageRecord[Math.Max(1, request.Batch.Records.Count)];
        UsageMapping.ToRecords(request.Batch.Records, records);
        return records.Take(request.Batch.Records.Count).Prepend(new Domain.UsageRecord(-1, request.Batch.Sequence, null)).ToList();
    }

    private static void Release(V1.StreamUsageRequest request) => ArrayPool<Domain.UsageRecord>.Shared.Return(UsageBatchDecoder.RentRecords(request.Batch).Records);

    private static V1.StreamUsageRequest RandomBatch(Random random, int maxRecords = 40)
    {
        var batch = new V1.UsageBatch { Sequence = random.Next(4) == 0 ? 0 : RandomLong(random) };
        for (var i = random.Next(maxRecords + 1); i > 0; i--)
        {
            batch.Records.Add(RandomRecord(random));
        }
        return new V1.StreamUsageRequest { Batch = batch };
    }

    private static V1.UsageRecord RandomRecord(Random random)
    {
        var record = new V1.UsageRecord
        {
            Item = (V1.BillingItem)(random.Next(5) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(0, 13)),
            Quantity = random.Next(3) == 0 ? RandomLong(random) : random.Next(0, 1_000_000),
        };
        switch (random.Next(5))
        {
            case 0:
                break; // no observed_at
            case 1:
                record.ObservedAt = new Timestamp(); // present, all defaults
                break;
            case 2:
                record.ObservedAt = new Timestamp { Seconds = RandomLong(random), Nanos = random.Next(int.MinValue, int.MaxValue) };
                break;
            default:
                record.ObservedAt = new Timestamp { Seconds = random.NextInt64(946_684_800, 1_900_000_000), Nanos = random.Next(0, 1_000_000_000) };
                break;
        }
        return record;
    }

    private static long RandomLong(Random random) => random.Next(3) switch
    {
        0 => random.NextInt64(long.MinValue, long.MaxValue),
        1 => -random.NextInt64(0, 1_000),
        _ => random.NextInt64(0, 1L << random.Next(1, 63)),
    };

    private static byte[] Mutate(byte[] bytes, Random random)
    {
        var mutated = bytes.ToList();
        for (var n = random.Next(3) == 0 ? 2 : 1; n > 0; n--)
        {
            switch (random.Next(5))
            {
                case 4 when mutated.Count > 0:
                    // A byte that ends a varint stays one: mostly a changed value, sometimes a changed tag or length.
                    var at = random.Next(mutated.Count);
                    mutated[at] = (byte)(mutated[at] < 0x80 ? random.Next(0x80) : 0x80 | random.Next(0x80));
                    break;
                case 0 when mutated.Count > 0:
                    mutated[random.Next(mutated.Count)] = (byte)random.Next(256);
                    break;
                case 1 when mutated.Count > 0:
                    mutated.RemoveAt(random.Next(mutated.Count));
                    break;
                case 2:
                    mutated.Insert(random.Next(mutated.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    mutated = mutated.Take(random.Next(mutated.Count + 1)).ToList();
                    break;
            }
        }
        return [.. mutated];
    }

    /// <summary>The bytes in one piece, and cut into two or three pieces as a message can reach the host.</summary>
    private static IEnumerable<ReadOnlySequence<byte>> Payloads(byte[] bytes, Random random)
    {
        yield return new ReadOnlySequence<byte>(bytes);
        if (bytes.Length >= 2)
        {
            var cuts = new[] { random.Next(1, bytes.Length), random.Next(1, bytes.Length) }.Distinct().Order().ToArray();
            yield return Segment.Sequence(bytes, cuts);
        }
    }

    private static byte[] Batch(params byte[][] fields) => [0x12, .. Varint((ulong)fields.Sum(f => f.Length)), .. fields.SelectMany(f => f)];

    private static byte[] Record(params byte[][] fields) => [.. fields.SelectMany(f => f)];

    private static byte[] Field(int number, byte[] message) => [(byte)(number << 3 | 2), .. Varint((ulong)message.Length), .. message];

    private static byte[] Seconds(long seconds) => [0x08, .. Varint((ulong)seconds)];

    private static byte[] Nanos(int nanos) => [0x10, .. Varint((ulong)nanos)];

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            bytes.Add((byte)(value < 0x80 ? value : value & 0x7F | 0x80));
            value >>= 7;
        }
        while (value != 0);
        return [.. bytes];
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        private Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Sequence(byte[] bytes, int[] cuts)
        {
            var bounds = cuts.Append(bytes.Length).ToArray();
            var first = new Segment(bytes.AsMemory(0, bounds[0]), 0);
            var last = first;
            for (var i = 1; i < bounds.Length; i++)
            {
                var next = new Segment(bytes.AsMemory(bounds[i - 1], bounds[i] - bounds[i - 1]), bounds[i - 1]);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
