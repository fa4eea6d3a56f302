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
    public void EveryPrefixOfAMessageWithEveryRecordTypeIsNeedMore()
    {
        // Given: question "com" at offset 12, then one answer of each type (names compressed to it).
        string[] answers =
        [
            "0001 0001 0000003c 0004 c0a80116",
            "001c 0001 0000003c 0010 20010db8000000000000000000000001",
            "0005 0001 0000003c 0006 03777777c00c",
            "0002 0001 0000003c 0005 026e73c00c",
            "000c 0001 0000003c 0006 04686f737400",
            "000f 0001 0000003c 0009 000a 046d61696c c00c",
            "0010 0001 0000003c 000a 05762d737066 03616263",
            "0021 0001 0000003c 000b 0000 0064 1f90 0361706900",
            "0006 0001 0000003c 0020 026e73c00c 04726f6f74c00c 00000001 00000e10 00000384 00093a80 0000003c",
            "0063 0001 0000003c 0003 c0ffee",
        ];
        var message = Hex.Parse($"1234 8180 0001 {answers.Length:x4} 0000 0000 | 03636f6d00 0001 0001 | " + string.Join(" | ", answers.Select(a => "c00c " + a)));
        Assert.Equal(ReadStatus.Parsed, DnsMessage.TryRead(message, out var parsed).Status);
        Assert.Equal(answers.Length, parsed.AnswersRead);

        // When / Then
        for (var length = 0; length < message.Length; length++)
        {
            var result = DnsMessage.TryRead(message.AsSpan(0, length), out _);
            Assert.True(result.IsNeedMore, $"prefix {length} of {message.Length}: {result}");
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
