using System.Buffers.Binary;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Tests.Files;

public class PcapRecordHeaderTests
{
    [Theory]
    [InlineData(false, false, 1_000_000_001_500_000L)]  // 1e6 s + 1500 µs
    [InlineData(true, false, 1_000_000_001_500_000L)]
    [InlineData(false, true, 1_000_000_000_001_500L)]   // nanosecond files keep the fraction as is
    public void ConvertsTimesToNanoseconds(bool bigEndian, bool nanosecond, long expectedNs)
    {
        // Given
        var bytes = Header(bigEndian, 1_000_000, 1500, 60, 1514);

        // When
        var result = PcapRecordHeader.TryRead(bytes, bigEndian, nanosecond, 65535, out var header);

        // Then
        Assert.True(result.IsParsed);
        Assert.Equal(expectedNs, header.TimeNs);
        Assert.Equal(60, header.CapturedLength);
        Assert.Equal(1514, header.OriginalLength);
    }

    [Fact]
    public void EveryPrefixNeedsMore()
    {
        // Given
        var bytes = Header(false, 1, 2, 3, 4);

        for (int length = 0; length < PcapRecordHeader.Size; length++)
        {
            // When
            var result = PcapRecordHeader.TryRead(bytes.AsSpan(0, length), false, false, 65535, out _);

            // Then
            Assert.True(result.IsNeedMore, $"prefix of {length} bytes gave {result}");
        }
    }

    [Fact]
    public void CapturedLengthAboveTheCapIsACorruptRecord()
    {
        // Given
        var bytes = Header(false, 1, 0, 0x7FFF_0000, 60);

        // When
        var result = PcapRecordHeader.TryRead(bytes, false, false, CaptureReader.MaxRecordBytes, out _);

        // Then
        Assert.True(result.IsMalformed);
        Assert.Equal(WireError.FileRecordTooLarge, result.Error);
    }

    private static byte[] Header(bool bigEndian, uint seconds, uint fraction, uint captured, uint original)
    {
        var bytes = new byte[16];
        uint[] values = [seconds, fraction, captured, original];
        for (int i = 0; i < 4; i++)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), values[i]);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
            }
        }

        return bytes;
    }
}
