using System.Buffers.Binary;
using System.IO.Compression;
using Grpc.Net.Compression;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// gzip as the host takes a request message: one gzip member, whole. .NET's <see cref="GZipStream"/> checks a
/// member's CRC and length when its trailer is there, but simply ends when the payload stops before it (inside the
/// header, or in the trailer), so a cut payload would decompress to a shorter message or an empty one, and an empty
/// request runs a call with every field unset. A whole member ends with its trailer, whose last four bytes are the
/// decompressed length (modulo 2^32): that is checked at the end of every decompression. No bytes at all are an empty
/// message: .NET's gzip writes nothing for one, and so grpc-dotnet's client sends an empty request compressed.
/// </summary>
public static class WholeGzip
{
    // The smallest member: a 10-byte header, an empty deflate block (2 bytes) and the 8-byte trailer.
    private const int SmallestMember = 20;

    /// <summary>Whether a payload of <paramref name="compressedLength"/> bytes ending with <paramref name="lastFour"/> is a whole member that decompressed to <paramref name="decompressedLength"/> bytes.</summary>
    public static bool EndsWhole(long compressedLength, ReadOnlySpan<byte> lastFour, long decompressedLength) =>
        (compressedLength == 0 && decompressedLength == 0)
        || (compressedLength >= SmallestMember && lastFour.Length == 4 && BinaryPrimitives.ReadUInt32LittleEndian(lastFour) == (uint)decompressedLength);

    /// <summary>A stream of what <paramref name="compressed"/> decompresses to, which fails with <see cref="InvalidDataException"/> at its end unless the payload was whole.</summary>
    public static Stream Decompress(Stream compressed) => new WholeGzipStream(compressed);

    /// <summary>grpc-dotnet's gzip, with every request message decompressed through <see cref="Decompress"/>.</summary>
    public sealed class Provider : ICompressionProvider
    {
        public string EncodingName => "gzip";

        public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
            new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

        public Stream CreateDecompressionStream(Stream stream) => Decompress(stream);
    }

    private sealed class WholeGzipStream(Stream compressed) : ReadOnlyStream
    {
        private readonly TailStream _tail = new(compressed);
        private GZipStream? _gzip;
        private long _decompressed;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            _gzip ??= new GZipStream(_tail, CompressionMode.Decompress, leaveOpen: true);
            var read = _gzip.Read(buffer);
            _decompressed += read;
            if (read == 0 && buffer.Length > 0 && !EndsWhole(_tail.BytesRead, _tail.LastFour, _decompressed))
            {
                throw new InvalidDataException("The gzip payload ends before its member does.");
            }
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gzip?.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>The compressed payload as read, remembering how long it was and its last four bytes.</summary>
    private sealed class TailStream(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] _lastFour = new byte[4];
        private int _kept;

        /// <summary>How many bytes were read so far: the payload's length once it has ended.</summary>
        public long BytesRead { get; private set; }

        public ReadOnlySpan<byte> LastFour => _lastFour.AsSpan(0, _kept);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Keep(buffer[..read]);
            return read;
        }

        private void Keep(ReadOnlySpan<byte> read)
        {
            BytesRead += read.Length;
            if (read.Length >= 4)
            {
                read[^4..].CopyTo(_lastFour);
                _kept = 4;
                return;
            }
            foreach (var b in read)
            {
                if (_kept == 4)
                {
                    _lastFour.AsSpan(1).CopyTo(_lastFour);
                    _kept = 3;
                }
                _lastFour[_kept++] = b;
            }
        }
    }

    /// <summary>A stream that is only read, from start to end.</summary>
    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
