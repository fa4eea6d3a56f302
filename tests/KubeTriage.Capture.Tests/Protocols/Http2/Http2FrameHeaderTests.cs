using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Http2;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

/// <summary>The nine-byte frame header of RFC 9113 §4.1, the shapes §6 fixes per type, and a HEADERS or PUSH_PROMISE fragment.</summary>
public class Http2FrameHeaderTests
{
    [Fact]
    public void ClientPrefaceIsTheTwentyFourBytesOfRfc9113()
    {
        // Then: §3.4, "0x505249202a20485454502f322e300d0a0d0a534d0d0a0d0a"
        Assert.Equal("505249202a20485454502f322e300d0a0d0a534d0d0a0d0a", Hex.Of(Http2FrameHeader.ClientPreface));
    }

    [Theory]
    // length | type | flags | stream
    [InlineData("004000 00 01 00000001", 16384, 0x0, 0x01, 1)] // DATA, END_STREAM
    [InlineData("000000 00 00 00000003", 0, 0x0, 0x00, 3)] // empty DATA
    [InlineData("00002a 01 25 00000005", 42, 0x1, 0x25, 5)] // HEADERS, END_STREAM | END_HEADERS | PRIORITY
    [InlineData("000005 02 00 00000003", 5, 0x2, 0x00, 3)] // PRIORITY
    [InlineData("000004 03 00 00000001", 4, 0x3, 0x00, 1)] // RST_STREAM
    [InlineData("000000 04 01 00000000", 0, 0x4, 0x01, 0)] // SETTINGS ACK
    [InlineData("00000c 04 00 00000000", 12, 0x4, 0x00, 0)] // SETTINGS, two settings
    [InlineData("000010 05 04 00000001", 16, 0x5, 0x04, 1)] // PUSH_PROMISE
    [InlineData("000008 06 01 00000000", 8, 0x6, 0x01, 0)] // PING ACK
    [InlineData("000008 07 00 00000000", 8, 0x7, 0x00, 0)] // GOAWAY without debug data
    [InlineData("000020 07 00 00000000", 32, 0x7, 0x00, 0)] // GOAWAY with debug data
    [InlineData("000004 08 00 00000000", 4, 0x8, 0x00, 0)] // WINDOW_UPDATE for the connection
    [InlineData("000004 08 00 00000007", 4, 0x8, 0x00, 7)] // WINDOW_UPDATE for a stream
    [InlineData("000003 09 04 00000001", 3, 0x9, 0x04, 1)] // CONTINUATION
    [InlineData("000007 0a 00 00000000", 7, 0xa, 0x00, 0)] // ALTSVC, an extension (§5.5)
    [InlineData("000001 ff ff 00000009", 1, 0xff, 0xff, 9)] // an unknown type passes on any stream
    public void ValidShapeOfEveryTypeIsRead(string hex, int length, byte type, byte flags, int stream)
    {
        // When
        var result = Http2FrameHeader.TryRead(Hex.Parse(hex + "deadbeef"), out var header);

        // Then: only the nine header bytes are consumed
        Assert.Equal((ReadStatus.Parsed, Http2FrameHeader.Size), (result.Status, result.Consumed));
        Assert.Equal((length, type, flags, stream), (header.Length, header.Type, header.Flags, header.StreamId));
    }

    [Theory]
    [InlineData("000004 00 00 00000000", 5, "DATA, HEADERS, CONTINUATION or PUSH_PROMISE on stream 0")]
    [InlineData("000004 01 04 00000000", 5, "DATA, HEADERS, CONTINUATION or PUSH_PROMISE on stream 0")]
    [InlineData("000004 09 04 00000000", 5, "DATA, HEADERS, CONTINUATION or PUSH_PROMISE on stream 0")]
    [InlineData("000008 05 04 00000000", 5, "DATA, HEADERS, CONTINUATION or PUSH_PROMISE on stream 0")]
    [InlineData("000000 04 00 00000001", 5, "SETTINGS, PING or GOAWAY on a stream")]
    [InlineData("000008 06 00 00000001", 5, "SETTINGS, PING or GOAWAY on a stream")]
    [InlineData("000008 07 00 00000003", 5, "SETTINGS, PING or GOAWAY on a stream")]
    [InlineData("000005 04 00 00000000", 0, "SETTINGS length is not a multiple of 6")]
    [InlineData("000007 04 01 00000000", 0, "SETTINGS length is not a multiple of 6")]
    [InlineData("000000 06 00 00000000", 0, "PING length is not 8")]
    [InlineData("000009 06 00 00000000", 0, "PING length is not 8")]
    [InlineData("000003 08 00 00000000", 0, "WINDOW_UPDATE length is not 4")]
    [InlineData("000005 08 00 00000001", 0, "WINDOW_UPDATE length is not 4")]
    [InlineData("000004 03 00 00000000", 0, "RST_STREAM is not 4 bytes on a stream")]
    [InlineData("000008 03 00 00000001", 0, "RST_STREAM is not 4 bytes on a stream")]
    [InlineData("000005 02 00 00000000", 0, "PRIORITY is not 5 bytes on a stream")]
    [InlineData("000004 02 00 00000001", 0, "PRIORITY is not 5 bytes on a stream")]
    [InlineData("000007 07 00 00000000", 0, "GOAWAY shorter than 8 bytes")]
    [InlineData("000000 07 00 00000000", 0, "GOAWAY shorter than 8 bytes")]
    public void InvalidShapeIsMalformedWithTheExactReason(string hex, int offset, string message)
    {
        // When
        var result = Http2FrameHeader.TryRead(Hex.Parse(hex), out _);

        // Then
        Assert.Equal((ReadStatus.Malformed, WireError.Http2BadFrame, offset, message), (result.Status, result.Error, result.Offset, result.Message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void FewerThanNineBytesNeedMoreWhateverTheyHold(int count)
    {
        // Given: the start of a frame header that would be malformed whole (PING on stream 1, length 0)
        var bytes = Hex.Parse("000000 06 00 00000001")[..count];

        // When
        var result = Http2FrameHeader.TryRead(bytes, out _);

        // Then
        Assert.Equal((ReadStatus.NeedMore, 0), (result.Status, result.Consumed));
    }

    [Fact]
    public void LengthTakesAllTwentyFourBitsAndStreamIdAllThirtyOne()
    {
        // When
        var result = Http2FrameHeader.TryRead(Hex.Parse("ffffff 00 00 7fffffff"), out var header);

        // Then
        Assert.True(result.IsParsed);
        Assert.Equal((16_777_215, int.MaxValue), (header.Length, header.StreamId));
    }

    [Theory]
    [InlineData("000000 00 00 80000001", 0x0, 1, true)] // DATA on stream 1, the reserved bit set
    [InlineData("000000 00 00 ffffffff", 0x0, int.MaxValue, true)]
    [InlineData("000000 00 00 80000000", 0x0, 0, false)] // DATA on stream 0 all the same
    [InlineData("000000 04 00 80000000", 0x4, 0, true)] // SETTINGS on stream 0 all the same
    public void ReservedBitOfTheStreamIdIsIgnored(string hex, byte type, int stream, bool parsed)
    {
        // When
        var result = Http2FrameHeader.TryRead(Hex.Parse(hex), out var header);

        // Then
        Assert.Equal((parsed, type, stream), (result.IsParsed, header.Type, header.StreamId));
    }

    [Theory]
    [InlineData(0x00, 0x01, true, false)]
    [InlineData(0x01, 0x04, false, true)]
    [InlineData(0x01, 0x05, true, true)]
    [InlineData(0x01, 0xFA, false, false)] // every other bit
    [InlineData(0x09, 0x04, false, true)]
    public void EndStreamAndEndHeadersAreTheirFlagBits(byte type, byte flags, bool endStream, bool endHeaders)
    {
        // Given
        var header = new Http2FrameHeader(0, type, flags, 1);

        // Then
        Assert.Equal((endStream, endHeaders), (header.EndStream, header.EndHeaders));
    }

    [Theory]
    // type | flags | payload → fragment (null: not there)
    [InlineData(0x01, 0x04, "aabb", "aabb")] // HEADERS, no padding or priority
    [InlineData(0x01, 0x04, "", "")]
    [InlineData(0x01, 0x0C, "02 aabb 0000", "aabb")] // PADDED
    [InlineData(0x01, 0x0C, "00 aabb", "aabb")] // PADDED with no padding
    [InlineData(0x01, 0x0C, "02 0000", "")] // PADDED, all padding
    [InlineData(0x01, 0x24, "80000003 10 aabb", "aabb")] // PRIORITY
    [InlineData(0x01, 0x24, "80000003 10", "")] // PRIORITY and nothing else
    [InlineData(0x01, 0x2C, "01 00000003 10 aabb 00", "aabb")] // PADDED | PRIORITY
    [InlineData(0x01, 0x2C, "02 00000003 10 0000", "")]
    [InlineData(0x05, 0x04, "00000002 aabb", "aabb")] // PUSH_PROMISE: the promised stream id
    [InlineData(0x05, 0x0C, "02 00000002 aabb 0000", "aabb")] // PUSH_PROMISE, PADDED
    [InlineData(0x05, 0x24, "00000002 aabb", "aabb")] // PRIORITY means nothing on PUSH_PROMISE
    [InlineData(0x09, 0x0C, "02 aabb", "02aabb")] // PADDED means nothing on CONTINUATION
    [InlineData(0x09, 0x24, "80000003 10", "8000000310")] // nor PRIORITY
    [InlineData(0x01, 0x0C, "", null)] // PADDED without its pad length
    [InlineData(0x01, 0x0C, "03 0000", null)] // padding longer than what follows
    [InlineData(0x01, 0x0C, "ff", null)]
    [InlineData(0x01, 0x24, "80000003", null)] // priority fields cut short
    [InlineData(0x01, 0x2C, "01 00000003 10", null)] // padding after the priority fields missing
    [InlineData(0x05, 0x04, "000002", null)] // promised stream id cut short
    [InlineData(0x05, 0x0C, "02 00000002 00", null)]
    public void FragmentLeavesOutPaddingPriorityAndPromisedStream(byte type, byte flags, string payloadHex, string? fragmentHex)
    {
        // Given
        var payload = Hex.Parse(payloadHex);
        var header = new Http2FrameHeader(payload.Length, type, flags, 1);

        // When
        var found = header.TryGetFragment(payload, out var fragment);

        // Then
        Assert.Equal((fragmentHex is not null, fragmentHex), (found, found ? Hex.Of(fragment) : null));
    }
}
