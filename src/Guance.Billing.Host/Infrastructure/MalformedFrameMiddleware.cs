using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Guance.Billing.Common;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// Answers a unary or server-streaming call whose one request frame is broken with INVALID_ARGUMENT
/// MALFORMED_REQUEST (<see cref="Errors.MalformedFrame"/>). grpc-dotnet reads that frame before the request
/// marshaller (<see cref="MalformedRequestMethodProvider{TService}"/>) or any interceptor, and answered UNKNOWN
/// (a flag other than 0 or 1, a gzip payload that does not decompress) or INTERNAL with its own text (a
/// compressed message without grpc-encoding, fewer bytes than the length prefix, bytes after the message), or ran
/// the call with an empty request (a gzip payload cut short: <see cref="WholeGzip"/>). A message longer than the
/// method's receive limit (as sent, or once decompressed) is answered RESOURCE_EXHAUSTED REQUEST_TOO_LARGE
/// (<see cref="Errors.RequestTooLarge"/>) instead of grpc-dotnet's bare status, and a compression other than gzip
/// UNIMPLEMENTED ENCODING_NOT_SUPPORTED. The frame is only examined, never consumed: a sound one goes on to
/// grpc-dotnet as it came. It runs after gRPC-Web's middleware, so that the console's endpoint answers the same.
/// A request at an RPC's path that is not gRPC at all (a JSON body, no Content-Type, gRPC over HTTP/1.1) is answered
/// INVALID_ARGUMENT NOT_GRPC before any of that, where grpc-dotnet answered INTERNAL.
/// Streams from the caller are checked as they are read (<see cref="CallerStreamReader{T}"/>).
/// </summary>
public sealed class MalformedFrameMiddleware(RequestDelegate next, IOptions<GrpcServiceOptions> global)
{
    private const int HeaderLength = 5;

    /// <summary>The mark in <see cref="HttpContext.Items"/> of a gRPC-Web call in base64 text, set before gRPC-Web's middleware decodes it.</summary>
    public const string GrpcWebTextMark = "guance.grpc-web-text";

    private static readonly ConcurrentDictionary<Type, string> MessageTypes = new();
    private readonly ConcurrentDictionary<Type, int> _limits = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>();
        var contentType = context.Request.ContentType ?? "";
        var http2 = HttpProtocol.IsHttp2(context.Request.Protocol);
        // gRPC, or gRPC-Web that its middleware turned into gRPC over HTTP/2; anything else at an RPC's path is refused
        // here in words, where grpc-dotnet would answer INTERNAL.
        if (metadata is not null && (!http2 || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/grpc-web", StringComparison.OrdinalIgnoreCase)))
        {
            await RefuseAsync(context, Errors.NotGrpc(context.Request.ContentType, http2, HostEndpoints.IsOpsRequest(context)));
            return;
        }
        if (metadata is null || metadata.Method.Type is not (MethodType.Unary or MethodType.ServerStreaming))
        {
            await next(context);
            return;
        }
        var limit = Limit(context, metadata.ServiceType);
        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        var webText = context.Items.ContainsKey(GrpcWebTextMark);
        Frame frame;
        try
        {
            frame = await ExamineAsync(context, encoding, limit, webText);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return; // the caller went away while its request was read
        }
        catch (InvalidOperationException) when (webText)
        {
            frame = Frame.Malformed; // gRPC-Web's base64 reader refuses a text body that is not base64
        }
        if (frame != Frame.Sound)
        {
            var messageType = MessageType(metadata.Method);
            if (frame == Frame.EncodingNotSupported)
            {
                context.Response.Headers["grpc-accept-encoding"] = Errors.SupportedEncodings;
            }
            await AnswerAsync(context, frame switch
            {
                Frame.TooLarge => Errors.RequestTooLarge(messageType, limit),
                Frame.EncodingNotSupported => Errors.EncodingNotSupported(encoding, messageType),
                _ => Errors.MalformedFrame(messageType),
            });
            return;
        }
        await next(context);
    }

    /// <summary>
    /// Reads until the body ends, examining what came but consuming nothing: the examined position only moves
    /// forward, as a pipe requires, and grpc-dotnet then reads the same bytes from the start. A unary or
    /// server-streaming call sends one message: a frame cut short, or anything after it, is malformed.
    /// gRPC-Web's base64 reader cannot be read again once it has ended, so a text body is consumed whole instead
    /// and grpc-dotnet reads its decoded bytes (<see cref="Replace"/>).
    /// </summary>
    private static async Task<Frame> ExamineAsync(HttpContext context, string encoding, int limit, bool consume)
    {
        var body = context.Request.BodyReader;
        long needed = HeaderLength;
        byte compressed = 0;
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
                var refusal = compressed switch
                {
                    > 1 => Frame.Malformed,
                    1 when encoding.Length == 0 || encoding == "identity" => Frame.Malformed,
                    1 when encoding != "gzip" => Frame.EncodingNotSupported,
                    _ when length > (uint)limit => Frame.TooLarge,
                    _ => Frame.Sound,
                };
                if (refusal != Frame.Sound)
                {
                    body.AdvanceTo(buffer.Start, buffer.End);
                    return refusal;
                }
                needed = HeaderLength + (long)length;
            }
            if (headerRead && buffer.Length > needed)
            {
                body.AdvanceTo(buffer.Start, buffer.End);
                return Frame.Malformed; // bytes after the one message
            }
            if (read.IsCompleted || read.IsCanceled)
            {
                var frame = !headerRead || buffer.Length < needed
                    ? Frame.Malformed // the body ended before the frame did (or before its header)
                    : compressed == 1 ? Decompressed(buffer.Slice(HeaderLength, needed - HeaderLength), limit) : Frame.Sound;
                if (consume)
                {
                    Replace(context, buffer.ToArray());
                    body.AdvanceTo(buffer.End);
                }
                else
                {
                    body.AdvanceTo(buffer.Start, buffer.End);
                }
                return frame;
            }
            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>grpc-dotnet reads <paramref name="decoded"/> as the request's body from here on.</summary>
    private static void Replace(HttpContext context, byte[] decoded) =>
        context.Features.Set<IRequestBodyPipeFeature>(new DecodedBody(PipeReader.Create(new ReadOnlySequence<byte>(decoded))));

    private sealed class DecodedBody(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }

    /// <summary>Whether the gzip payload is whole and decompresses, and within the limit (read up to the first byte past it).</summary>
    private static Frame Decompressed(ReadOnlySequence<byte> payload, int limit)
    {
        try
        {
            using var gzip = WholeGzip.Decompress(new MemoryStream(payload.ToArray()));
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

    /// <summary>
    /// A refusal of a request that is not gRPC: HTTP 415 with the status in the headers (a trailers-only answer, as a
    /// gRPC client reads it) and the message as plain text, for the person with curl who most likely sent it.
    /// </summary>
    private static async Task RefuseAsync(HttpContext context, BillingException refusal)
    {
        var status = ErrorMapping.ToStatus(refusal);
        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["grpc-status"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        context.Response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
        await context.Response.WriteAsync(status.Message + "\n");
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
        EncodingNotSupported,
    }

    private static string MessageType(IMethod method) => MessageTypes.GetOrAdd(method.GetType(), type =>
        type.IsGenericType ? ProtobufMessageNames.Of(type.GetGenericArguments()[0]) : method.FullName);
}
