using KubeTriage.Capture.Files;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Files;

public class PcapNgReaderTests
{
    [Fact]
    public void SectionsKeepTheirOwnByteOrderAndInterfaces()
    {
        // Given: a little-endian section with two interfaces, then a big-endian section with one
        var bytes = CaptureBuilder.PcapNg(bigEndian: false)
            .Interface(LinkType.Ethernet, "eth0")
            .Interface(LinkType.LinuxSll2, "any", timestampResolution: 9)
            .Enhanced(1, 1_700_000_000_123_456_789UL, [1, 2, 3])
            .Enhanced(0, 1_700_000_000_000_001UL, [4, 5])
            .Section(bigEndian: true)
            .Interface(LinkType.Raw, "tun0", bigEndian: true)
            .Enhanced(0, 1_700_000_001_000_000UL, [6], bigEndian: true)
            .ToArray();

        // When
        var (records, reader) = CaptureRun.ReadAll(bytes);

        // Then
        Assert.Equal(["eth0", "any", "tun0"], reader.Interfaces.Select(i => i.Name));
        Assert.Equal([LinkType.Ethernet, LinkType.LinuxSll2, LinkType.Raw], reader.Interfaces.Select(i => i.LinkType));
        Assert.Equal([1, 0, 2], records.Select(r => r.Record.InterfaceIndex));
        Assert.Equal(1_700_000_000_123_456_789L, records[0].Record.TimeNs);
        Assert.Equal(1_700_000_000_000_001_000L, records[1].Record.TimeNs);
        Assert.Equal(1_700_000_001_000_000_000L, records[2].Record.TimeNs);
        Assert.Equal([6], records[2].Data);
        Assert.Equal(2, ((PcapNgReader)reader).Sections);
        Assert.Empty(reader.Problems);
    }

    [Fact]
    public void SimplePacketBlockUsesTheFirstInterfaceAndTheLastTime()
    {
        // Given
        var bytes = CaptureBuilder.PcapNg().Interface(LinkType.Ethernet, snapLength: 4)
            .Enhanced(0, 5_000_000UL, [1])
            .Simple([9, 8, 7, 6, 5, 4])
            .ToArray();

        // When
        var (records, _) = CaptureRun.ReadAll(bytes);

        // Then: the snap length (4) bounds the simple block's data
        Assert.Equal(2, records.Count);
        Assert.Equal(5_000_000_000L, records[1].Record.TimeNs);
        Assert.Equal([9, 8, 7, 6], records[1].Data);
        Assert.Equal(6, records[1].Record.OriginalLength);
    }

    [Fact]
    public void UnknownBlocksAreSkippedByTheirLength()
    {
        // Given: a name resolution block and a custom block between packets
        var bytes = CaptureBuilder.PcapNg().Interface(LinkType.Ethernet)
            .Enhanced(0, 1UL, [1])
            .Block(4, new byte[20])
            .Block(0x00000BAD, new byte[7])
            .Enhanced(0, 2UL, [2])
            .ToArray();

        // When
        var (records, reader) = CaptureRun.ReadAll(bytes);

        // Then
        Assert.Equal([[1], [2]], records.Select(r => r.Data));
        Assert.Empty(reader.Problems);
    }

    [Theory]
    [InlineData(6)]     // microseconds, the default
    [InlineData(0x86)]  // 2^-6 s units
    [InlineData(3)]     // milliseconds
    public void TimestampResolutionOptionIsApplied(byte resolution)
    {
        // Given
        var bytes = CaptureBuilder.PcapNg().Interface(LinkType.Ethernet, timestampResolution: resolution)
            .Enhanced(0, 128UL, [1]).ToArray();

        // When
        var (records, _) = CaptureRun.ReadAll(bytes);

        // Then
        long expected = resolution switch
        {
            6 => 128_000L,
            0x86 => 2_000_000_000L,
            _ => 128_000_000L,
        };
        Assert.Equal(expected, records[0].Record.TimeNs);
    }

    [Fact]
    public void TrailerMismatchEndsTheFileWithAProblem()
    {
        // Given: the second packet block's trailer is wrong
        var bytes = CaptureBuilder.PcapNg().Interface(LinkType.Ethernet).Enhanced(0, 1UL, [1]).Enhanced(0, 2UL, [2]).Enhanced(0, 3UL, [3]).ToArray();
        int secondTrailer = bytes.Length - 36 - 4; // each packet block here is 36 bytes
        bytes[secondTrailer] ^= 0xFF;

        // When
        var (records, reader) = CaptureRun.ReadAll(bytes);

        // Then
        Assert.Single(records);
        Assert.Contains("FileBlockLengthMismatch", Assert.Single(reader.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void PacketForAnUndeclaredInterfaceIsSkippedWithAProblem()
    {
        // Given
        var bytes = CaptureBuilder.PcapNg().Interface(LinkType.Ethernet).Enhanced(3, 1UL, [1]).Enhanced(0, 2UL, [2]).ToArray();

        // When
        var (records, reader) = CaptureRun.ReadAll(bytes);

        // Then
        Assert.Equal([2], Assert.Single(records).Data);
        Assert.Contains("interface 3", Assert.Single(reader.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedTailKeepsThePacketsBeforeIt()
    {
        // Given
        var bytes = CaptureBuilder.PcapNg().Interface(LinkType.Ethernet).Enhanced(0, 1UL, [1]).Enhanced(0, 2UL, new byte[40]).ToArray();

        for (int cut = 1; cut < 60; cut++)
        {
            // When
            var (records, reader) = CaptureRun.ReadAll(bytes[..^cut]);

            // Then
            Assert.Single(records);
            Assert.Contains("truncated", Assert.Single(reader.Problems), StringComparison.Ordinal);
        }
    }
}
