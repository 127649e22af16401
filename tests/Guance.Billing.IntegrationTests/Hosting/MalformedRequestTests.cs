using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// Bytes that are not a message of the request's type answer INVALID_ARGUMENT MALFORMED_REQUEST on
/// every RPC of the contract (found from the generated descriptors, so a new RPC is covered by
/// itself), through the host as a process over real HTTP/2, and change nothing.
/// </summary>
public sealed class MalformedRequestTests
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);

    // One byte past GetWallet's limit (the host's 4 MiB).
    private const int AboveTheLimit = 4 * 1024 * 1024 + 1;

    /// <summary>Every RPC of guance.billing.v1, from the generated service descriptors.</summary>
    private static IReadOnlyList<MethodDescriptor> ContractMethods() =>
        typeof(IdentityService).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IdentityService).Namespace)
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<ServiceDescriptor>()
            .SelectMany(s => s.Methods)
            .ToList();

    [Fact]
    public async Task Every_rpc_answers_malformed_bytes_with_invalid_argument_and_changes_nothing()
    {
        using var database = TestDatabase.Create();
        await using var host = await StartAsync(database);
        var invoker = host.Api(host.OperatorToken).Invoker;
        // A client stream admits its caller before it reads a message (StreamUsage takes collector
        // tokens only), so the malformed message is sent with the token that gets it read.
        var collector = host.Api(await CollectorTokenAsync(host)).Invoker;
        var methods = ContractMethods();
        Assert.Contains(methods, m => m.FullName == "guance.billing.v1.WorkspaceService.ListSites");
        Assert.Contains(methods, m => m.FullName == "guance.billing.v1.UsageService.StreamUsage");
        var before = await CountRowsAsync(database);

        var wrong = new List<string>();
        var utf8Cases = 0;
        foreach (var method in methods)
        {
            var payloads = new List<(string Name, byte[] Bytes)>
            {
                ("garbage ff ff ff ff", [0xff, 0xff, 0xff, 0xff]),
                // Field 1, length-delimited, announces 5 bytes and sends 1.
                ("truncated", [0x0a, 0x05, 0x61]),
            };
            if (InvalidUtf8(method.InputType, depth: 0) is { } invalidUtf8)
            {
                payloads.Add(("invalid UTF-8 in a string field", invalidUtf8));
                utf8Cases++;
            }
            foreach (var (name, bytes) in payloads)
            {
                var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(method.IsClientStreaming ? collector : invoker, method, bytes));
                var reason = error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
                if (error.StatusCode != StatusCode.InvalidArgument || reason != "MALFORMED_REQUEST")
                {
                    wrong.Add($"{method.FullName} with {name}: {error.StatusCode} {reason} {error.Status.Detail}");
                }
            }
        }

        Assert.Empty(wrong);
        Assert.True(utf8Cases > 50, $"only {utf8Cases} requests have a string field");
        Assert.Equal(before, await CountRowsAsync(database));
        // The host still serves, with reflection's and health's own services bound the same way.
        Assert.NotEmpty((await host.Api().Workspaces.ListSitesAsync(new ListSitesRequest())).Sites);
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving,
            (await host.Health().CheckAsync(new Grpc.Health.V1.HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task A_malformed_message_in_the_middle_of_StreamUsage_ends_the_stream_with_invalid_argument()
    {
        using var database = TestDatabase.Create();
        await using var host = await StartAsync(database);
        var collector = await CollectorTokenAsync(host);
        var stream = UsageService.Descriptor.FindMethodByName("StreamUsage");

        using var call = host.Api(collector).Invoker.AsyncDuplexStreamingCall(RawMethod(stream), null, new CallOptions(deadline: DateTime.UtcNow.AddMinutes(1)));
        await call.RequestStream.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "host-1" } }.ToByteArray());
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(StreamUsageResponse.KindOneofCase.Opened, StreamUsageResponse.Parser.ParseFrom(call.ResponseStream.Current).KindCase);

        await call.RequestStream.WriteAsync([0xff, 0xff, 0xff, 0xff]);
        await RpcAssert.Fails(StatusCode.InvalidArgument, async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        }, "MALFORMED_REQUEST");
    }

    [Fact]
    public async Task A_broken_message_frame_answers_invalid_argument_on_a_unary_call_and_on_a_stream()
    {
        using var database = TestDatabase.Create();
        await using var host = await StartAsync(database);
        using var http = new HttpClient();
        var message = new GetWalletRequest { BillingAccountId = "ba_" + new string('0', 26) }.ToByteArray();
        var zipped = Gzip(message);
        // Broken in the frame itself, whatever the call: a unary one and each message of a stream.
        var frames = new List<(string Name, byte[] Body, string? Encoding)>
        {
            ("a compressed flag of 7", Frame(7, message), null),
            ("a compressed message without grpc-encoding", Frame(1, message), null),
            ("a frame that declares 100 bytes and sends fewer", Frame(0, message, length: 100), null),
            ("a gzip message that is not gzip", Frame(1, "notgzip"u8.ToArray()), "gzip"),
            // .NET's gzip reads these as an empty message, or a shorter one, without complaint.
            ("a gzip header alone", Frame(1, [0x1f, 0x8b]), "gzip"),
            ("a gzip message cut inside its trailer", Frame(1, zipped[..^6]), "gzip"),
            ("a gzip message without its trailer", Frame(1, zipped[..^8]), "gzip"),
        };
        // A unary call sends one whole message and nothing else.
        var unaryOnly = new List<(string Name, byte[] Body, string? Encoding)>
        {
            ("three bytes of a frame header", [0, 0, 0], null),
            ("two messages", [.. Frame(0, message), .. Frame(0, message)], null),
            ("two bytes after the message", [.. Frame(0, message), 0, 0], null),
        };

        var wrong = new List<string>();
        foreach (var (name, body, encoding) in frames.Concat(unaryOnly))
        {
            var (status, reason) = await PostAsync(http, host, "guance.billing.v1.BillingAccountService/GetWallet", host.OperatorToken!, body, encoding);
            if (status != (int)StatusCode.InvalidArgument || reason != "MALFORMED_REQUEST")
            {
                wrong.Add($"GetWallet with {name}: {status} {reason}");
            }
        }
        // A sound frame still reaches the service, compressed or not: the unknown account is its own answer.
        Assert.Equal(((int)StatusCode.NotFound, "BILLING_ACCOUNT_NOT_FOUND"),
            await PostAsync(http, host, "guance.billing.v1.BillingAccountService/GetWallet", host.OperatorToken!, Frame(0, message), null));
        Assert.Equal(((int)StatusCode.NotFound, "BILLING_ACCOUNT_NOT_FOUND"),
            await PostAsync(http, host, "guance.billing.v1.BillingAccountService/GetWallet", host.OperatorToken!, Frame(1, zipped), "gzip"));
        // No bytes compressed are an empty message (.NET's gzip writes nothing for one): read, then refused as a request.
        Assert.Equal(((int)StatusCode.InvalidArgument, "INVALID_ARGUMENT"),
            await PostAsync(http, host, "guance.billing.v1.BillingAccountService/GetWallet", host.OperatorToken!, Frame(1, []), "gzip"));
        // grpc-dotnet's client compresses an empty request that way.
        var gzip = new Metadata { { "grpc-internal-encoding-request", "gzip" } };
        Assert.NotEmpty((await host.Api().Usage.ListBillingItemsAsync(new ListBillingItemsRequest(), gzip)).BillingItems);

        // On StreamUsage the open is read, then the broken frame.
        var open = new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "host-1" } }.ToByteArray();
        var collector = await CollectorTokenAsync(host);

        // A sound request of a few hundred KB reaches the service over real HTTP/2, in many DATA frames that the
        // check reads in pieces.
        var big = new ReportUsageRequest { CollectorId = "big-1", Sequence = 1 };
        big.Records.Add(Enumerable.Range(0, 10_000).Select(_ => new UsageRecord
        {
            Item = BillingItem.Logs, Quantity = 1, ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        }));
        Assert.True(big.CalculateSize() > 100_000);
        Assert.False((await host.Api(collector).Usage.ReportUsageAsync(big)).Duplicate);
        foreach (var (name, body, encoding) in frames)
        {
            var (status, reason) = await PostAsync(http, host, "guance.billing.v1.UsageService/StreamUsage", collector, [.. Frame(0, open), .. body], encoding);
            if (status != (int)StatusCode.InvalidArgument || reason != "MALFORMED_REQUEST")
            {
                wrong.Add($"StreamUsage with {name}: {status} {reason}");
            }
        }
        Assert.Empty(wrong);
        // Answered, not failed: grpc-dotnet logged a failure of the method for a bad flag, the stream an unexpected one.
        Assert.DoesNotContain(host.OutputLines, line => line.StartsWith("fail: Grpc.", StringComparison.Ordinal) || line.Contains("Unexpected failure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_compression_other_than_gzip_answers_unimplemented_with_its_reason()
    {
        using var database = TestDatabase.Create();
        await using var host = await StartAsync(database);
        using var http = new HttpClient();
        var message = new GetWalletRequest { BillingAccountId = "ba_" + new string('0', 26) }.ToByteArray();
        using var zlib = new MemoryStream();
        using (var deflate = new System.IO.Compression.ZLibStream(zlib, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(message);
        }
        var open = new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "host-1" } }.ToByteArray();

        Assert.Equal(((int)StatusCode.Unimplemented, "ENCODING_NOT_SUPPORTED"),
            await PostAsync(http, host, "guance.billing.v1.BillingAccountService/GetWallet", host.OperatorToken!, Frame(1, zlib.ToArray()), "deflate"));
        Assert.Equal(((int)StatusCode.Unimplemented, "ENCODING_NOT_SUPPORTED"),
            await PostAsync(http, host, "guance.billing.v1.UsageService/StreamUsage", await CollectorTokenAsync(host), [.. Frame(0, open), .. Frame(1, zlib.ToArray())], "deflate"));

        // grpc-dotnet's client compresses with deflate when asked: the refusal names the encoding, on a call and on a stream.
        var deflateCalls = new Metadata { { "grpc-internal-encoding-request", "deflate" } };
        var unary = await RpcAssert.Fails(StatusCode.Unimplemented, () => host.Api().Usage.ListBillingItemsAsync(new ListBillingItemsRequest(), deflateCalls), "ENCODING_NOT_SUPPORTED");
        Assert.Contains("'deflate'", unary.Status.Detail);
        using var call = host.Api(await CollectorTokenAsync(host)).Usage.StreamUsage(deflateCalls, DateTime.UtcNow.AddMinutes(1));
        await call.RequestStream.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "host-deflate" } });
        var stream = await RpcAssert.Fails(StatusCode.Unimplemented, async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        }, "ENCODING_NOT_SUPPORTED");
        Assert.Contains("'deflate'", stream.Status.Detail);
    }

    [Fact]
    public async Task A_gzip_compressed_stream_of_batches_is_taken_batch_by_batch()
    {
        using var database = TestDatabase.Create();
        await using var host = await StartAsync(database);
        var collector = await CollectorTokenAsync(host);
        // grpc-dotnet's client compresses each message of the call as its own gzip member.
        var gzip = new Metadata { { "grpc-internal-encoding-request", "gzip" } };

        using var call = host.Api(collector).Usage.StreamUsage(gzip, DateTime.UtcNow.AddMinutes(1));
        await call.RequestStream.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "host-gz" } });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(StreamUsageResponse.KindOneofCase.Opened, call.ResponseStream.Current.KindCase);
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            var batch = new UsageBatch { Sequence = sequence };
            batch.Records.Add(new UsageRecord { Item = BillingItem.Logs, Quantity = 1_000, ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) });
            await call.RequestStream.WriteAsync(new StreamUsageRequest { Batch = batch });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal(sequence, call.ResponseStream.Current.Ack.Sequence);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task The_console_endpoint_answers_a_broken_grpc_web_frame_as_the_grpc_endpoint_does()
    {
        using var database = TestDatabase.Create();
        await using var host = await StartAsync(database, console: true);
        var console = host.ListeningAddresses.Single(a => a != host.Address);
        using var http = new HttpClient();
        var message = new GetWalletRequest { BillingAccountId = "ba_" + new string('0', 26) }.ToByteArray();
        var before = await CountRowsAsync(database);
        var bomb = Gzip(new byte[AboveTheLimit]);

        var wrong = new List<string>();
        foreach (var (name, body, encoding, expected) in new (string, byte[], string?, (int, string))[]
        {
            ("a frame that declares 100 bytes and sends fewer", Frame(0, message, length: 100), null, ((int)StatusCode.InvalidArgument, "MALFORMED_REQUEST")),
            ("two bytes after the message", [.. Frame(0, message), 0, 0], null, ((int)StatusCode.InvalidArgument, "MALFORMED_REQUEST")),
            ("a gzip message that is not gzip", Frame(1, "notgzip"u8.ToArray()), "gzip", ((int)StatusCode.InvalidArgument, "MALFORMED_REQUEST")),
            ("a gzip header alone", Frame(1, [0x1f, 0x8b]), "gzip", ((int)StatusCode.InvalidArgument, "MALFORMED_REQUEST")),
            ("a gzip message past the limit once decompressed", Frame(1, bomb), "gzip", ((int)StatusCode.ResourceExhausted, "REQUEST_TOO_LARGE")),
            ("a sound message", Frame(0, message), null, ((int)StatusCode.NotFound, "BILLING_ACCOUNT_NOT_FOUND")),
        })
        {
            var answer = await PostWebAsync(http, new Uri(console, "guance.billing.v1.BillingAccountService/GetWallet"), host.OperatorToken!, body, encoding, text: false);
            if (answer != expected)
            {
                wrong.Add($"gRPC-Web with {name}: {answer}");
            }
        }
        // Sound calls in base64 text (grpc-web's JavaScript default) reach the service too, once and again on one connection.
        for (var i = 0; i < 2; i++)
        {
            var text = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(Frame(0, message)));
            var sound = await PostWebAsync(http, new Uri(console, "guance.billing.v1.BillingAccountService/GetWallet"), host.OperatorToken!, text, null, text: true);
            if (sound != ((int)StatusCode.NotFound, "BILLING_ACCOUNT_NOT_FOUND"))
            {
                wrong.Add($"gRPC-Web text, a sound message ({i + 1}): {sound}");
            }
        }
        var notBase64 = "AAAA$$$$"u8.ToArray();
        var textAnswer = await PostWebAsync(http, new Uri(console, "guance.billing.v1.BillingAccountService/GetWallet"), host.OperatorToken!, notBase64, null, text: true);
        if (textAnswer != ((int)StatusCode.InvalidArgument, "MALFORMED_REQUEST"))
        {
            wrong.Add($"gRPC-Web text that is not base64: {textAnswer}");
        }

        Assert.Empty(wrong);
        Assert.Equal(before, await CountRowsAsync(database));
    }

    [Fact]
    public async Task A_request_that_is_not_grpc_answers_invalid_argument_not_grpc_on_both_endpoints_and_changes_nothing()
    {
        using var database = TestDatabase.Create();
        await using var host = await StartAsync(database, console: true);
        var console = host.ListeningAddresses.Single(a => a != host.Address);
        using var http = new HttpClient();
        var message = Frame(0, new GetWalletRequest { BillingAccountId = "ba_" + new string('0', 26) }.ToByteArray());
        var before = await CountRowsAsync(database);

        var wrong = new List<string>();
        foreach (var (endpoint, version, contentType, body) in new (Uri, Version, string?, byte[])[]
        {
            (host.Address, System.Net.HttpVersion.Version20, "application/json", "{}"u8.ToArray()),
            (host.Address, System.Net.HttpVersion.Version20, "text/plain", "hello"u8.ToArray()),
            (host.Address, System.Net.HttpVersion.Version20, null, message),
            (host.Address, System.Net.HttpVersion.Version20, "application/grpc-web+proto", message),
            (console, System.Net.HttpVersion.Version11, "application/json", "{}"u8.ToArray()),
            (console, System.Net.HttpVersion.Version11, null, message),
            (console, System.Net.HttpVersion.Version11, "application/grpc", message),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "guance.billing.v1.BillingAccountService/GetWallet"))
            {
                Content = new ByteArrayContent(body), Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Content.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            request.Headers.TryAddWithoutValidation("authorization", "Bearer " + host.OperatorToken);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var headers = response.Headers.ToDictionary(h => h.Key, h => h.Value.First(), StringComparer.OrdinalIgnoreCase);
            var reason = headers.TryGetValue("grpc-status-details-bin", out var bin)
                ? Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(bin)).GetDetail<ErrorInfo>()?.Reason
                : null;
            var expectedWords = version == System.Net.HttpVersion.Version11 && contentType == "application/grpc" ? "gRPC needs HTTP/2" : "application/grpc";
            if (response.StatusCode != System.Net.HttpStatusCode.UnsupportedMediaType || headers.GetValueOrDefault("grpc-status") != "3"
                || reason != "NOT_GRPC" || !text.Contains(expectedWords, StringComparison.Ordinal))
            {
                wrong.Add($"{endpoint.Port} HTTP/{version} {contentType ?? "(no content type)"}: {(int)response.StatusCode} grpc-status {headers.GetValueOrDefault("grpc-status")} {reason} {text}");
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(before, await CountRowsAsync(database));
        // gRPC on the one endpoint, gRPC-Web on the other, still reach the service.
        Assert.Equal(((int)StatusCode.NotFound, "BILLING_ACCOUNT_NOT_FOUND"),
            await PostAsync(http, host, "guance.billing.v1.BillingAccountService/GetWallet", host.OperatorToken!, message, null));
        Assert.Equal(((int)StatusCode.NotFound, "BILLING_ACCOUNT_NOT_FOUND"),
            await PostWebAsync(http, new Uri(console, "guance.billing.v1.BillingAccountService/GetWallet"), host.OperatorToken!, message, null, text: false));
    }

    private static byte[] Frame(byte flag, byte[] payload, int? length = null) =>
        [flag, .. BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(length ?? payload.Length)), .. payload];

    private static byte[] Gzip(byte[] payload)
    {
        using var zipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(zipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }
        return zipped.ToArray();
    }

    [Fact]
    public async Task A_message_above_the_methods_limit_answers_resource_exhausted_with_its_reason()
    {
        using var database = TestDatabase.Create();
        await using var host = await StartAsync(database);
        using var http = new HttpClient();
        var message = new GetWalletRequest { BillingAccountId = "ba_" + new string('0', 26) }.ToByteArray();
        var zipped = Gzip(new byte[AboveTheLimit]);
        var collector = await CollectorTokenAsync(host);
        var open = new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "host-1" } }.ToByteArray();

        // Declared longer than GetWallet's 4 MB; a gzip message of a few KB that decompresses past it; a usage batch past MaxMessageBytes.
        Assert.Equal(((int)StatusCode.ResourceExhausted, "REQUEST_TOO_LARGE"),
            await PostAsync(http, host, "guance.billing.v1.BillingAccountService/GetWallet", host.OperatorToken!, Frame(0, message, length: AboveTheLimit), null));
        Assert.Equal(((int)StatusCode.ResourceExhausted, "REQUEST_TOO_LARGE"),
            await PostAsync(http, host, "guance.billing.v1.BillingAccountService/GetWallet", host.OperatorToken!, Frame(1, zipped), "gzip"));
        Assert.Equal(((int)StatusCode.ResourceExhausted, "REQUEST_TOO_LARGE"),
            await PostAsync(http, host, "guance.billing.v1.UsageService/StreamUsage", collector, [.. Frame(0, open), .. Frame(0, message, length: AboveTheLimit)], null));
        // A length prefix past 2^31 on a stream (unsigned, as gRPC sends it).
        Assert.Equal(((int)StatusCode.ResourceExhausted, "REQUEST_TOO_LARGE"),
            await PostAsync(http, host, "guance.billing.v1.UsageService/StreamUsage", collector, [.. Frame(0, open), 0, 0x80, 0, 0, 0, .. message], null));
        // A message within the limit still reaches the service.
        Assert.Equal(((int)StatusCode.NotFound, "BILLING_ACCOUNT_NOT_FOUND"),
            await PostAsync(http, host, "guance.billing.v1.BillingAccountService/GetWallet", host.OperatorToken!, Frame(0, message), null));
    }

    /// <summary>One raw gRPC call over HTTP/2: its grpc-status and ErrorInfo reason.</summary>
    private static async Task<(int Status, string? Reason)> PostAsync(HttpClient http, HostProcess host, string path, string token, byte[] body, string? encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, path))
        {
            Content = new ByteArrayContent(body), Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + token);
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var headers = response.TrailingHeaders.Concat(response.Headers).ToDictionary(h => h.Key, h => h.Value.First());
        var details = headers.TryGetValue("grpc-status-details-bin", out var bin)
            ? Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(bin.PadRight(bin.Length + (4 - bin.Length % 4) % 4, '='))).GetDetail<ErrorInfo>()?.Reason
            : null;
        return headers.TryGetValue("grpc-status", out var status)
            ? (int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), details)
            : (-(int)response.StatusCode, string.Join(", ", headers.Keys));
    }

    /// <summary>
    /// One raw gRPC-Web call over HTTP/1.1, as a browser makes it (binary, or base64 text with <paramref name="text"/>):
    /// its grpc-status and ErrorInfo reason, from the headers of a trailers-only answer or the trailer frame of the body.
    /// </summary>
    private static async Task<(int Status, string? Reason)> PostWebAsync(HttpClient http, Uri url, string token, byte[] body, string? encoding, bool text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body), Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(text ? "application/grpc-web-text" : "application/grpc-web+proto");
        request.Headers.TryAddWithoutValidation("accept", "application/grpc-web");
        request.Headers.TryAddWithoutValidation("x-grpc-web", "1");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + token);
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }
        using var response = await http.SendAsync(request);
        var fields = response.Headers.ToDictionary(h => h.Key, h => h.Value.First(), StringComparer.OrdinalIgnoreCase);
        var content = await response.Content.ReadAsByteArrayAsync();
        for (var at = 0; at + 5 <= content.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(at + 1));
            if ((content[at] & 0x80) != 0)
            {
                foreach (var line in System.Text.Encoding.ASCII.GetString(content, at + 5, length).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
                {
                    var colon = line.IndexOf(':');
                    fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }
            at += 5 + length;
        }
        var reason = fields.TryGetValue("grpc-status-details-bin", out var bin)
            ? Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(bin.PadRight(bin.Length + (4 - bin.Length % 4) % 4, '='))).GetDetail<ErrorInfo>()?.Reason
            : null;
        return fields.TryGetValue("grpc-status", out var status)
            ? (int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), reason)
            : (-(int)response.StatusCode, string.Join(", ", fields.Keys));
    }

    /// <summary>A collector token of a new workspace.</summary>
    private static async Task<string> CollectorTokenAsync(HostProcess host)
    {
        var owner = (await host.Api().Identity.SignUpAsync(new SignUpRequest { Email = $"ann.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "Ann" })).Token;
        var workspace = (await host.Api(owner).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Agents", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        return (await host.Api(owner).Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.WorkspaceId, DisplayName = "agent" })).Token;
    }

    private static Task<HostProcess> StartAsync(TestDatabase database, bool console = false)
    {
        var options = new HostProcessOptions { Database = database };
        // No background job may change a row while the test counts them.
        options.Settings["Guance:Jobs:Enabled"] = "false";
        if (console)
        {
            options.Settings["Guance:Console:Url"] = "http://127.0.0.1:0";
        }
        return HostProcess.StartAsync(options);
    }

    private static Method<byte[], byte[]> RawMethod(MethodDescriptor method) => new(
        (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            (true, true) => MethodType.DuplexStreaming,
        },
        method.Service.FullName, method.Name, Raw, Raw);

    private static async Task CallAsync(CallInvoker invoker, MethodDescriptor descriptor, byte[] request)
    {
        var method = RawMethod(descriptor);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30));
        switch (method.Type)
        {
            case MethodType.Unary:
                await invoker.AsyncUnaryCall(method, null, options, request);
                break;
            case MethodType.ServerStreaming:
                using (var call = invoker.AsyncServerStreamingCall(method, null, options, request))
                {
                    while (await call.ResponseStream.MoveNext())
                    {
                    }
                }
                break;
            case MethodType.ClientStreaming:
                using (var call = invoker.AsyncClientStreamingCall(method, null, options))
                {
                    await call.RequestStream.WriteAsync(request);
                    await call.RequestStream.CompleteAsync();
                    await call.ResponseAsync;
                }
                break;
            default:
                using (var call = invoker.AsyncDuplexStreamingCall(method, null, options))
                {
                    await call.RequestStream.WriteAsync(request);
                    await call.RequestStream.CompleteAsync();
                    while (await call.ResponseStream.MoveNext())
                    {
                    }
                }
                break;
        }
    }

    /// <summary>A message whose first string field (found depth first, through message fields) holds bytes that are not UTF-8.</summary>
    private static byte[]? InvalidUtf8(MessageDescriptor message, int depth)
    {
        foreach (var field in message.Fields.InFieldNumberOrder())
        {
            var inner = field.FieldType switch
            {
                FieldType.String => new byte[] { 0xc3, 0x28 },
                FieldType.Message when depth < 3 => InvalidUtf8(field.MessageType, depth + 1),
                _ => null,
            };
            if (inner is not null)
            {
                using var buffer = new MemoryStream();
                var output = new CodedOutputStream(buffer);
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(inner));
                output.Flush();
                return buffer.ToArray();
            }
        }
        return null;
    }

    private static async Task<Dictionary<string, int>> CountRowsAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var counts = new Dictionary<string, int>();
        foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct())
        {
#pragma warning disable EF1003 // The table names come from the model, not from input.
            counts[table] = await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM \"" + table + "\"").SingleAsync();
#pragma warning restore EF1003
        }
        return counts;
    }
}
