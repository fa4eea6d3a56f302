using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Dns;

public class DnsMessageTests
{
    /// <summary>Real messages from the public captures: (transcript, frame, TCP length prefix to skip).</summary>
    public static TheoryData<string, long, int> RealMessages => new()
    {
        { "zeek__pcapng-multi-interface", 1, 0 }, // query with an EDNS cookie option
        { "zeek__pcapng-multi-interface", 2, 0 }, // CNAME chain then A records
        { "zeek__pcapng-multi-interface", 6, 0 }, // AAAA answer
        { "zeek__dns-ipv6-fragmented", 2, 0 }, // TXT, NS in authority, OPT and A in additional
        { "zeek__dns-ipv6-fragmented", 8, 0 }, // 3 KB TXT answer, reassembled from IPv6 fragments
        { "chrissanders__dns-servfail-branch", 2, 0 }, // SERVFAIL
        { "deepflow__dns-nxdomain-k8s-search", 2, 2 }, // NXDOMAIN with SOA, over TCP
        { "deepflow__dns-over-tcp-multi", 8, 2 }, // AAAA NODATA with SOA, over TCP
    };

    [Theory]
    [MemberData(nameof(RealMessages))]
    public void RealMessagesParseCompletely(string transcript, long frame, int skip)
    {
        // Given
        var message = TranscriptPayload.Of(transcript, frame).AsSpan(skip);

        // When
        var result = DnsMessage.TryRead(message, out var parsed);

        // Then
        Assert.Equal(ReadStatus.Parsed, result.Status);
        Assert.Equal(message.Length, result.Consumed);
        Assert.True(parsed.HasQuestion);
        Assert.Equal(parsed.Header.AnswerCount, parsed.AnswersRead);
    }

    [Theory]
    [MemberData(nameof(RealMessages))]
    public void EveryPrefixOfARealMessageIsNeedMore(string transcript, long frame, int skip)
    {
        // Given
        var message = TranscriptPayload.Of(transcript, frame).AsSpan(skip);

        // When / Then
        for (var length = 0; length < message.Length; length++)
        {
            var result = DnsMessage.TryRead(message[..length], out _);
            Assert.True(result.IsNeedMore, $"prefix {length} of {message.Length}: {result}; {Hex.Of(message[..length])}");
            Assert.Equal(0, result.Consumed);
        }
    }

    [Fact]
    public void ExtendedRcodeComesFromTheOptRecord()
    {
        // Given: header RCODE 0 and OPT TTL with extended RCODE 1 → BADVERS (16).
        var message = Hex.Parse("1234 8100 0000 0000 0000 0001 | 00 0029 1000 01000000 0000");

        // When
        var result = DnsMessage.TryRead(message, out var parsed);

        // Then
        Assert.Equal(ReadStatus.Parsed, result.Status);
        Assert.Equal(16, parsed.Rcode);
    }

    [Fact]
    public void RecordWithRdlengthBeyondTheMessageIsNeedMoreNotAnOverread()
    {
        // Given: one answer claiming 65535 bytes of RDATA in a 40-byte message.
        var message = Hex.Parse("1234 8180 0000 0001 0000 0000 | 00 0001 0001 00000010 ffff c0a80101");

        // When
        var result = DnsMessage.TryRead(message, out var parsed);

        // Then
        Assert.Equal(ReadStatus.NeedMore, result.Status);
        Assert.True(parsed.HasHeader);
        Assert.Equal(0, parsed.AnswersRead);
    }

    [Fact]
    public void CountsLargerThanTheMessageAreNeedMore()
    {
        // Given: a header claiming 65535 answers and nothing else.
        var message = Hex.Parse("1234 8180 0000 ffff ffff ffff");

        // When
        var result = DnsMessage.TryRead(message, out _);

        // Then
        Assert.Equal(ReadStatus.NeedMore, result.Status);
    }

    [Fact]
    public void BadRecordInTheAdditionalSectionKeepsTheAnswersBeforeIt()
    {
        // Given: one A answer, then an additional A record with a 3-byte RDATA.
        var message = Hex.Parse(
            "1234 8180 0001 0001 0000 0001 | 0161 00 0001 0001"
            + "| c00c 0001 0001 0000003c 0004 c0a80101"
            + "| c00c 0001 0001 0000003c 0003 c0a801");

        // When
        var result = DnsMessage.TryRead(message, out var parsed);

        // Then
        Assert.Equal(WireError.DnsRecordLengthMismatch, result.Error);
        Assert.Equal("A RDATA is not 4 bytes", result.Message);
        Assert.True(parsed.HasQuestion);
        Assert.Equal(1, parsed.AnswersRead);
    }

    [Fact]
    public void UnassignedOpcodeIsABadHeader()
    {
        // Given: opcode 7.
        var message = Hex.Parse("1234 3800 0001 0000 0000 0000");

        // When
        var result = DnsMessage.TryRead(message, out var parsed);

        // Then
        Assert.Equal(WireError.DnsBadHeader, result.Error);
        Assert.Equal(2, result.Offset);
        Assert.False(parsed.HasHeader);
    }
}
