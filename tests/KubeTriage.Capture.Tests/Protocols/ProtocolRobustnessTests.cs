using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Capture.Tests.Protocols.Dns;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Protocols.Tls;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols;

/// <summary>
/// Seeded random and mutated input for every message reader and every dissector: the only allowed
/// outcomes are a parse, need-more (consuming nothing) or malformed with a reason and an offset inside
/// the input; never an exception. A failure names the seed, iteration and input as hex.
/// </summary>
public class ProtocolRobustnessTests
{
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("KUBETRIAGE_FUZZ_SEED"), out var seed) ? seed : 20261128;
    private const int MessageIterations = 4000;
    private const int ConversationIterations = 150;

    public static TheoryData<string> Readers => new()
    {
        "dns-message", "dns-name", "dns-rdata", "mysql-greeting", "mysql-login", "mysql-ok", "mysql-err", "mysql-eof",
        "mysql-column-count", "mysql-column-definition", "mysql-prepare-ok", "mysql-command", "http-request-line",
        "http-status-line", "http-headers", "http-chunk-size", "tls-record", "tls-client-hello", "tls-server-name",
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void EveryTryReadGivesOnlyCleanOutcomes(string reader)
    {
        // Given
        var random = new Random(Seed + StableHash(reader));
        var samples = Samples(reader);

        var outcomes = new int[3];

        // When / Then
        for (var i = 0; i < MessageIterations; i++)
        {
            var input = i % 5 == 0 ? RandomBytes(random, random.Next(0, 300)) : Mutate(random, samples[random.Next(samples.Length)]);
            ParseResult result;
            try
            {
                result = Read(reader, input);
            }
            catch (Exception e)
            {
                Assert.Fail($"{reader} iteration {i} threw {e.GetType().Name}: {e.Message}\ninput: {Hex.Of(input)}");
                return;
            }

            var clean = result.Status switch
            {
                ReadStatus.NeedMore => result.Consumed == 0,
                ReadStatus.Parsed => result.Consumed >= 0 && result.Consumed <= input.Length,
                ReadStatus.Malformed => result.Error != WireError.None && result.Offset >= 0 && result.Offset <= input.Length && result.Message.Length > 0,
                _ => false,
            };
            Assert.True(clean, $"{reader} iteration {i}: {result}\ninput: {Hex.Of(input)}");
            outcomes[(int)result.Status]++;
        }

        // The mutations reach both sides of the parser, not just its first check.
        Assert.True(outcomes[(int)ReadStatus.Parsed] > 0 && outcomes[(int)ReadStatus.Malformed] + outcomes[(int)ReadStatus.NeedMore] > 0, $"{reader}: {string.Join('/', outcomes)}");
    }

    public static TheoryData<string> Conversations => new()
    {
        "chrissanders__dns-no-response", "zeek__pcapng-multi-interface", "zeek__dns-ipv6-fragmented", "deepflow__dns-over-tcp-multi",
        "deepflow__dns-nxdomain-k8s-search", "deepflow__mysql-error-initdb", "deepflow__mysql-prepared-stmt", "zeek__mysql-auth-failures",
        "zeek__mysql-crud", "zeek__mysql-deprecate-eof", "zeek__mysql-tls-encrypted", "zeek__http-vlan", "zeek__tls-sni-google",
        "lab__grpc-h2c",
    };

    [Theory]
    [MemberData(nameof(Conversations))]
    public void EveryDissectorGivesOnlyCleanOutcomesOnMutatedConversations(string transcript)
    {
        // Given
        var random = new Random(Seed + StableHash(transcript));
        var packets = Transcript.Load(transcript);

        // When / Then
        for (var i = 0; i < ConversationIterations; i++)
        {
            var mutated = MutateConversation(random, packets);
            var sink = new RecordingSink();
            try
            {
                new TranscriptReplay("mutated", sink).Feed(mutated);
            }
            catch (Exception e)
            {
                var changed = mutated.Where((p, n) => n >= packets.Count || !p.Payload.AsSpan().SequenceEqual(packets[n].Payload)).Take(3);
                Assert.Fail($"{transcript} iteration {i} threw {e.GetType().Name}: {e.Message}\nfirst changed segments: {string.Join("\n", changed.Select(p => $"#{p.Frame} {Hex.Of(p.Payload)}"))}");
            }

            Assert.All(sink.Diagnostics, d => Assert.NotEqual(WireError.None, d.Reason));
            Assert.All(sink.Dns, t => Assert.NotNull(t.Name));
            Assert.All(sink.MySql, t => Assert.NotNull(t.CommandName));
            Assert.All(sink.Http, t => Assert.NotNull(t.Method));
        }
    }

    private static IReadOnlyList<TranscriptPacket> MutateConversation(Random random, IReadOnlyList<TranscriptPacket> packets)
    {
        var mutated = new List<TranscriptPacket>(packets.Count);
        foreach (var packet in packets)
        {
            switch (random.Next(12))
            {
                case 0 when packet.Payload.Length > 0:
                    continue; // lost: the next segment of its direction leaves a gap
                case 1 or 2 when packet.Payload.Length > 0:
                    mutated.Add(packet with { Payload = Mutate(random, packet.Payload) });
                    break;
                default:
                    mutated.Add(packet);
                    break;
            }
        }

        return mutated;
    }

    private static byte[] Mutate(Random random, byte[] sample)
    {
        var bytes = sample.ToList();
        var steps = random.Next(1, 4);
        for (var s = 0; s < steps; s++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)(random.Next(4) switch { 0 => 0x00, 1 => 0xFF, 2 => 0xC0, _ => 0xFE });
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, RandomBytes(random, random.Next(1, 16)));
                    break;
                case 4 when bytes.Count > 4:
                    var length = random.Next(1, Math.Min(32, bytes.Count - at) + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(length, bytes.Count - at)));
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        bytes.RemoveAt(at);
                    }

                    break;
            }
        }

        return bytes.ToArray();
    }

    /// <summary>string.GetHashCode differs per process; the seed must not.</summary>
    private static int StableHash(string text) => text.Aggregate(17, (hash, c) => unchecked(hash * 31 + c)) & 0xFFFFFF;

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[][] Samples(string reader) => reader switch
    {
        "dns-message" or "dns-name" or "dns-rdata" =>
        [
            TranscriptPayload.Of("zeek__pcapng-multi-interface", 2),
            TranscriptPayload.Of("zeek__dns-ipv6-fragmented", 2),
            TranscriptPayload.Of("deepflow__dns-nxdomain-k8s-search", 2)[2..],
            DnsBytes.Response(1, "oss.example.com", 1, 0, "198.18.3.2"),
        ],
        "mysql-greeting" => [TranscriptPayload.Of("deepflow__mysql-error-initdb", 4)],
        "mysql-login" => [TranscriptPayload.Of("deepflow__mysql-error-initdb", 6)],
        "mysql-command" => [TranscriptPayload.Of("deepflow__mysql-error-initdb", 9), Hex.Parse("0500000019 01000000"), Hex.Parse("0b00000017010000000001000000")],
        "mysql-column-definition" => [TranscriptPayload.Of("deepflow__mysql-error-initdb", 10)[5..]],
        "mysql-prepare-ok" => [Hex.Parse("0c000001 00 01000000 0100 0100 00 0000")],
        _ when reader.StartsWith("mysql", StringComparison.Ordinal) =>
        [
            Hex.Parse("0700000200000002000000"), Hex.Parse("07000004fe000002000000"), Hex.Parse("05000005fe00000200"),
            Hex.Parse("20000001ff1904233432303030556e6b6e6f776e20646174616261736520276162636427"), Hex.Parse("0100000101"),
        ],
        "http-request-line" => [TranscriptPayload.Of("zeek__http-vlan", 4), "CONNECT oss.example.com:443 HTTP/1.1\r\n"u8.ToArray()],
        "http-status-line" => ["HTTP/1.1 200 OK\r\n"u8.ToArray(), "HTTP/1.0 404 Not Found\n"u8.ToArray()],
        "http-headers" =>
        [
            TranscriptPayload.Of("zeek__http-vlan", 4).SkipWhile(b => b != (byte)'\n').Skip(1).ToArray(),
            "Transfer-Encoding: gzip, chunked\r\nContent-Length: 5, 5\r\nConnection: close\r\n\r\n"u8.ToArray(),
        ],
        "http-chunk-size" => ["1f;ext=1\r\n"u8.ToArray(), "0\r\n"u8.ToArray()],
        "tls-server-name" => [Hex.Parse(TlsBytes.Sni("oss.example.com"))[4..], Hex.Parse(TlsBytes.Sni("a"))[4..]],
        _ => [TlsBytes.ChromeRecord, TlsBytes.ChromeHandshake, TlsBytes.Records(TlsBytes.Hello("000a00020017" + TlsBytes.Sni("oss.example.com")))],
    };

    private static ParseResult Read(string reader, ReadOnlySpan<byte> input)
    {
        switch (reader)
        {
            case "dns-message":
                return DnsMessage.TryRead(input, out _);
            case "dns-name":
                return DnsName.TryRead(input, Math.Min(12, input.Length), DnsName.NoLimit, out _);
            case "dns-rdata":
                var type = input.Length > 0 ? (ushort)(input[0] % 40) : (ushort)1;
                var offset = Math.Min(12, input.Length);
                var result = DnsRdata.TryValidate(type, input, offset, input.Length - offset);
                if (result.IsParsed)
                {
                    // Writing the text of anything that validated must not fail either.
                    DnsRdata.WriteText(type, input, offset, input.Length - offset, new byte[DnsRdata.MaxTextBytes]);
                }

                return result;
            case "mysql-greeting":
                return HandshakeV10Packet.TryRead(input, out _);
            case "mysql-login":
                return HandshakeResponse41Packet.TryRead(input, out _);
            case "mysql-ok":
                return OkPacket.TryRead(input, out _);
            case "mysql-err":
                return ErrPacket.TryRead(input, out _);
            case "mysql-eof":
                return EofPacket.TryRead(input, out _);
            case "mysql-column-count":
                return ColumnCountPacket.TryRead(input, out _);
            case "mysql-column-definition":
                return ColumnDefinition41Packet.TryRead(input, out _);
            case "mysql-prepare-ok":
                return StmtPrepareOkPacket.TryRead(input, out _);
            case "mysql-command":
                return CommandPacket.TryRead(input, out _);
            case "http-request-line":
                return HttpRequestLine.TryRead(input, 4096, out _);
            case "http-status-line":
                return HttpStatusLine.TryRead(input, 4096, out _);
            case "http-headers":
                return HttpHeaderSection.TryRead(input, 4096, 64, out _);
            case "http-chunk-size":
                return HttpChunkSizeLine.TryRead(input, out _);
            case "tls-record":
                return TlsRecordHeader.TryRead(input, out _);
            case "tls-client-hello":
                return ClientHelloMessage.TryRead(input, out _);
            default:
                return ServerNameExtension.TryRead(input, out _);
        }
    }
}
