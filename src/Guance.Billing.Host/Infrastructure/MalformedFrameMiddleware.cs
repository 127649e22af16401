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
/// compressed message without grpc-encoding, fewer bytes than the length prefix). The frame is only examined,
/// never consumed: a sound one goes on to grpc-dotnet as it came, and one longer than the method's receive limit
/// is left to grpc-dotnet's RESOURCE_EXHAUSTED. Streams from the caller are checked as they are read
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
        bool broken;
        try
        {
            broken = await IsBrokenAsync(context, Limit(context, metadata.ServiceType));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return; // the caller went away while its request was read
        }
        if (broken)
        {
            await AnswerAsync(context, MessageType(metadata.Method));
            return;
        }
        await next(context);
    }

    /// <summary>
    /// Reads until the frame is whole (or the body ends), examining what came but consuming nothing: the examined
    /// position only moves forward, as a pipe requires, and grpc-dotnet then reads the same bytes from the start.
    /// </summary>
    private static async Task<bool> IsBrokenAsync(HttpContext context, int limit)
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
                    return true;
                }
                if (length > (uint)limit)
                {
                    body.AdvanceTo(buffer.Start, buffer.End);
                    return false; // grpc-dotnet's RESOURCE_EXHAUSTED
                }
                needed = HeaderLength + (long)length;
            }
            if (headerRead && buffer.Length >= needed)
            {
                var broken = compressed == 1 && encoding == "gzip" && !Decompresses(buffer.Slice(HeaderLength, needed - HeaderLength), limit);
                body.AdvanceTo(buffer.Start, buffer.End);
                return broken;
            }
            body.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted || read.IsCanceled)
            {
                return true; // the body ended before the frame did (or before its header)
            }
        }
    }

    /// <summary>Whether the gzip payload decompresses, read up to one byte past the limit (a bigger one is grpc-dotnet's to refuse).</summary>
    private static bool Decompresses(ReadOnlySequence<byte> payload, int limit)
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
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static async Task AnswerAsync(HttpContext context, string messageType)
    {
        var status = ErrorMapping.ToStatus(Errors.MalformedFrame(messageType));
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

    private static string MessageType(IMethod method) => MessageTypes.GetOrAdd(method.GetType(), type =>
        type.IsGenericType ? ProtobufMessageNames.Of(type.GetGenericArguments()[0]) : method.FullName);
}
