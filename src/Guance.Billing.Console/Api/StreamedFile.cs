using Google.Protobuf;
using Grpc.Core;

namespace Guance.Billing.Console.Api;

/// <summary>
/// A streamed download (an invoice's PDF, a ticket's attachment) as one call: its chunks joined into
/// the file's bytes. A failure of any chunk fails the call, so pages run it like any other
/// (<c>Api.CallAsync</c>) and show the error in words.
/// </summary>
public static class StreamedFile
{
    public static AsyncUnaryCall<byte[]> Collect<T>(AsyncServerStreamingCall<T> call, Func<T, ByteString> data) =>
        new(ReadAsync(call, data), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);

    private static async Task<byte[]> ReadAsync<T>(AsyncServerStreamingCall<T> call, Func<T, ByteString> data)
    {
        using var file = new MemoryStream();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            data(call.ResponseStream.Current).WriteTo(file);
        }
        return file.ToArray();
    }
}
