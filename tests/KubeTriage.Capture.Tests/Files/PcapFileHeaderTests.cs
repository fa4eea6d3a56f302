using KubeTriage.Capture.Files;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Files;

public class PcapFileHeaderTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]   // nanosecond magic a1b23c4d, little-endian writer
    [InlineData(true, true)]
    public void ReadsEveryMagicInBothByteOrders(bool bigEndian, bool nanosecond)
    {
        // Given
        var bytes = CaptureBuilder.Pcap(LinkType.LinuxSll2, bigEndian, nanosecond, snapLength: 262144).ToArray();

        // When
        var result = PcapFileHeader.TryRead(bytes, out var header);

        // Then
        Assert.True(result.IsParsed);
        Assert.Equal(PcapFileHeader.Size, result.Consumed);
        Assert.Equal(bigEndian, header.BigEndian);
        Assert.Equal(nanosecond, header.Nanosecond);
        Assert.Equal(LinkType.LinuxSll2, header.LinkType);
        Assert.Equal(262144, header.SnapLength);
    }

    [Fact]
    public void EveryPrefixOfAValidHeaderNeedsMore()
    {
        // Given
        var bytes = CaptureBuilder.Pcap(LinkType.Ethernet).ToArray();

        for (int length = 0; length < PcapFileHeader.Size; length++)
        {
            // When
            var result = PcapFileHeader.TryRead(bytes.AsSpan(0, length), out _);

            // Then
            Assert.True(result.IsNeedMore, $"prefix of {length} bytes gave {result}");
        }
    }

    [Fact]
    public void FcsBitsInTheLinkFieldAreIgnored()
    {
        // Given: the top bits of the link field say "FCS present, 4 bytes"
        var bytes = CaptureBuilder.Pcap(LinkType.Ethernet).ToArray();
        bytes[23] = 0x30;

        // When
        _ = PcapFileHeader.TryRead(bytes, out var header);

        // Then
        Assert.Equal(LinkType.Ethernet, header.LinkType);
    }

    [Theory]
    [InlineData(new byte[] { 0x3C, 0x68, 0x74, 0x6D }, WireError.FileNotACapture)]
    [InlineData(new byte[] { 0xD4, 0xC3, 0xB2, 0xA1, 0x03, 0x00 }, WireError.FileUnsupportedVersion)]
    public void RejectsWhatIsNotAClassicPcapHeader(byte[] head, WireError expected)
    {
        // Given
        var bytes = new byte[PcapFileHeader.Size];
        head.CopyTo(bytes, 0);

        // When
        var result = PcapFileHeader.TryRead(bytes, out _);

        // Then
        Assert.True(result.IsMalformed);
        Assert.Equal(expected, result.Error);
    }
}
