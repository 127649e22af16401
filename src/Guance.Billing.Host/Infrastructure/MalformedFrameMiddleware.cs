using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Guance.Billing.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// Answers a unary or server-streaming call whose one request frame is broken with INVALID_ARGUMENT
/// MALFORMED_REQUEST (<see cref="Errors.MalformedFrame"/>). grpc-dotnet reads that frame before the request
/// marshaller (<see cref="MalformedRequestMethodProvider{TService}"/>) or any interceptor, and answered UNKNOWN
/// (a flag other than 0 or 1, a gzip payload that does not decompress) or INTERNAL with its own text (a
/// compressed message without grpc-encoding, fewer bytes than the length prefix). A message longer than the
/// method's receive limit (as sent, or once decompressed) is answered RESOURCE_EXHAUSTED REQUEST_TOO_LARGE
/// (<see cref="Errors.RequestTooLarge"/>) instead of grpc-dotnet's bare status. The frame is only examined,
/// never consumed: a sound one goes on to grpc-dotnet as it came. Streams from the caller are checked as they are read
/// (<see cref="CallerStreamReader{T}"/>). gRPC-Web calls come in through the console's endpoint and are left as they are.
/// </summary>
public sealed class MalformedFrameMiddleware(RequestDelegate next, IOptions<GrpcServiceOptions> global)
{
    private const int HeaderLength = 5;
    private static readonly ConcurrentDictionary<Type, string> MessageTypes = new();
    private readonly ConcurrentDictionary<Type, int> _limits = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>();
        var contentType = context.Request.ContentType ?? "";
        if (metadata is null || metadata.Method.Type is not (MethodType.Unary or MethodType.ServerStreaming)
            || !HttpProtocol.IsHttp2(context.Request.Protocol)
            || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/grpc-web", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        var limit = Limit(context, metadata.ServiceType);
        Frame frame;
        try
        {
            frame = await ExamineAsync(context, limit);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return; // the caller went away while its request was read
        }
        if (frame != Frame.Sound)
        {
            var messageType = MessageType(metadata.Method);
            await AnswerAsync(context, frame == Frame.TooLarge ? Errors.RequestTooLarge(messageType, limit) : Errors.MalformedFrame(messageType));
            return;
        }
        await next(context);
    }

    /// <summary>
    /// Reads until the frame is whole (or the body ends), examining what came but consuming nothing: the examined
    /// position only moves forward, as a pipe requires, and grpc-dotnet then reads the same bytes from the start.
    /// </summary>
    private static async Task<Frame> ExamineAsync(HttpContext context, int limit)
    {
        var body = context.Request.BodyReader;
        long needed = HeaderLength;
        byte compressed = 0;
        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        var headerRead = false;
        while (true)
        {
            var read = await body.ReadAsync(context.RequestAborted);
            var buffer = read.Buffer;
            if (!headerRead && buffer.Length >= HeaderLength)
            {
                var header = new byte[HeaderLength];
                buffer.Slice(0, HeaderLength).CopyTo(header);
                compressed = header[0];
                var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
                headerRead = true;
                if (compressed > 1 || (compressed == 1 && (encoding.Length == 0 || encoding == "identity")))
                {
                    body.AdvanceTo(buffer.Start, buffer.End);
                    return Frame.Malformed;
                }
                if (length > (uint)limit)
                {
                    body.AdvanceTo(buffer.Start, buffer.End);
                    return Frame.TooLarge;
                }
                needed = HeaderLength + (long)length;
            }
            if (headerRead && buffer.Length >= needed)
            {
                var frame = compressed == 1 && encoding == "gzip" ? Decompressed(buffer.Slice(HeaderLength, needed - HeaderLength), limit) : Frame.Sound;
                body.AdvanceTo(buffer.Start, buffer.End);
                return frame;
            }
            body.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted || read.IsCanceled)
            {
                return Frame.Malformed; // the body ended before the frame did (or before its header)
            }
        }
    }

    /// <summary>Whether the gzip payload decompresses, and within the limit (read up to the first byte past it).</summary>
    private static Frame Decompressed(ReadOnlySequence<byte> payload, int limit)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(payload.ToArray()), CompressionMode.Decompress);
            var buffer = new byte[16 * 1024];
            long read = 0;
            for (int n; read <= limit && (n = gzip.Read(buffer)) > 0;)
            {
                read += n;
            }
            return read > limit ? Frame.TooLarge : Frame.Sound;
        }
        catch (InvalidDataException)
        {
            return Frame.Malformed;
        }
    }

    private static async Task AnswerAsync(HttpContext context, BillingException refusal)
    {
        var status = ErrorMapping.ToStatus(refusal);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.AppendTrailer("grpc-status", status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Response.AppendTrailer("grpc-message", Uri.EscapeDataString(status.Message));
        context.Response.AppendTrailer("grpc-status-details-bin", Convert.ToBase64String(status.ToByteArray()));
        await context.Response.CompleteAsync();
    }

    /// <summary>The method's receive limit: its service's own, else the host's (grpc-dotnet's 4 MB by default).</summary>
    private int Limit(HttpContext context, Type serviceType) => _limits.GetOrAdd(serviceType, type =>
    {
        var own = context.RequestServices.GetService(typeof(IOptions<>).MakeGenericType(typeof(GrpcServiceOptions<>).MakeGenericType(type)));
        var limit = (own?.GetType().GetProperty("Value")?.GetValue(own) as GrpcServiceOptions)?.MaxReceiveMessageSize;
        return limit ?? global.Value.MaxReceiveMessageSize ?? 4 * 1024 * 1024;
    });

    private enum Frame
    {
        Sound,
        Malformed,
        TooLarge,
    }

    private static string MessageType(IMethod method) => MessageTypes.GetOrAdd(method.GetType(), type =>
        type.IsGenericType ? ProtobufMessageNames.Of(type.GetGenericArguments()[0]) : method.FullName);
}
