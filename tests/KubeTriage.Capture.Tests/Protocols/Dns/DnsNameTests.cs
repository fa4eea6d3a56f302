using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Dns;

public class DnsNameTests
{
    // Messages are a 12-byte filler "header" followed by names; offsets point into them.
    private const string Header = "000000000000000000000000";

    [Theory]
    [InlineData(Header + "03777777076578616d706c6503636f6d00", 12, "www.example.com", 17)]
    [InlineData(Header + "00", 12, ".", 1)] // the root name
    [InlineData(Header + "076578616d706c6503636f6d00 03777777c00c", 25, "www.example.com", 6)] // label then pointer
    [InlineData(Header + "076578616d706c6503636f6d00 c00c", 25, "example.com", 2)] // pointer only
    [InlineData(Header + "03636f6d00 076578616d706c65c00c 03777777c011", 27, "www.example.com", 6)] // pointer to a name ending in a pointer
    [InlineData(Header + "03636f6d00 c00c c011", 19, "com", 2)] // compression points to compression (legal, backwards)
    [InlineData(Header + "0161 00 c00e", 15, ".", 2)] // a pointer into the middle of an earlier name reads its tail
    [InlineData(Header + "03612e6200", 12, "a\\.b", 5)] // a dot inside a label is escaped
    [InlineData(Header + "0341 0a42 00", 12, "A\\010B", 5)] // a control byte is written \DDD
    public void ReadsNamesAndWritesPresentationText(string hex, int offset, string expected, int consumed)
    {
        // Given
        var message = Hex.Parse(hex);

        // When
        var result = DnsName.TryRead(message, offset, DnsName.NoLimit, out var name);

        // Then
        Assert.Equal(ReadStatus.Parsed, result.Status);
        Assert.Equal(consumed, result.Consumed);
        var text = new byte[DnsName.MaxTextBytes];
        Assert.Equal(expected, Encoding.ASCII.GetString(text, 0, name.WriteText(text)));
    }

    [Theory]
    [InlineData(Header + "c00c", 12, WireError.DnsCompressionLoop, 12)] // pointer to itself
    [InlineData(Header + "0161c00c", 12, WireError.DnsCompressionLoop, 14)] // pointer back into its own name
    [InlineData(Header + "c00e 0161 00", 12, WireError.DnsForwardPointer, 12)] // pointer forward
    [InlineData(Header + "4161", 12, WireError.DnsBadLabel, 12)] // extended label type 01 (RFC 6891 §5)
    [InlineData(Header + "8161", 12, WireError.DnsBadLabel, 12)] // reserved label type 10
    public void RejectsHostileNamesWithTheExactReason(string hex, int offset, WireError error, int errorOffset)
    {
        // Given
        var message = Hex.Parse(hex);

        // When
        var result = DnsName.TryRead(message, offset, DnsName.NoLimit, out _);

        // Then
        Assert.Equal(ReadStatus.Malformed, result.Status);
        Assert.Equal(error, result.Error);
        Assert.Equal(errorOffset, result.Offset);
    }

    [Fact]
    public void ChainOfPointersLongerThanTheCapIsACompressionLoopNotAStackOverflow()
    {
        // Given: 12 + a root at 12, then 100 pointers each pointing to the one before.
        var message = new List<byte>(Hex.Parse(Header + "00"));
        message.AddRange([0xC0, 12]);
        for (var i = 1; i < 100; i++)
        {
            var previous = 12 + 1 + (i - 1) * 2;
            message.AddRange([(byte)(0xC0 | previous >> 8), (byte)previous]);
        }

        // When
        var result = DnsName.TryRead(message.ToArray(), message.Count - 2, DnsName.NoLimit, out _);

        // Then
        Assert.Equal(WireError.DnsCompressionLoop, result.Error);
        Assert.Equal("too many compression pointers", result.Message);
    }

    [Fact]
    public void NameLongerThan255OctetsIsRejected()
    {
        // Given: five 63-byte labels (5 * 64 = 320 octets).
        var label = "3f" + string.Concat(Enumerable.Repeat("61", 63));
        var message = Hex.Parse(Header + string.Concat(Enumerable.Repeat(label, 5)) + "00");

        // When
        var result = DnsName.TryRead(message, 12, DnsName.NoLimit, out _);

        // Then
        Assert.Equal(WireError.DnsNameTooLong, result.Error);
        Assert.Equal("name longer than 255 octets", result.Message);
    }

    [Fact]
    public void NameOf255OctetsIsTheLongestAllowed()
    {
        // Given: three 63-byte labels and one 61-byte label: 3 * 64 + 62 + 1 = 255 octets.
        var label = "3f" + string.Concat(Enumerable.Repeat("61", 63));
        var last = "3d" + string.Concat(Enumerable.Repeat("62", 61));
        var message = Hex.Parse(Header + label + label + label + last + "00");

        // When
        var result = DnsName.TryRead(message, 12, DnsName.NoLimit, out var name);

        // Then
        Assert.Equal(ReadStatus.Parsed, result.Status);
        Assert.Equal(255, name.Octets);
    }

    [Fact]
    public void EveryPrefixOfANameIsNeedMore()
    {
        // Given
        var message = Hex.Parse(Header + "076578616d706c6503636f6d00 03777777c00c");

        // When / Then
        for (var length = 25; length < message.Length; length++)
        {
            var result = DnsName.TryRead(message.AsSpan(0, length), 25, DnsName.NoLimit, out _);
            Assert.Equal(ReadStatus.NeedMore, result.Status);
            Assert.Equal(0, result.Consumed);
        }
    }

    [Fact]
    public void NameRunningPastItsRdataSliceIsALengthMismatch()
    {
        // Given: a name of 5 bytes read with a limit of 3 (a CNAME whose RDLENGTH is too small).
        var message = Hex.Parse(Header + "0361626300 ffff");

        // When
        var result = DnsName.TryRead(message, 12, 15, out _);

        // Then
        Assert.Equal(WireError.DnsRecordLengthMismatch, result.Error);
        Assert.Equal("name runs past RDLENGTH", result.Message);
    }
}
