using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Tests.Primitives;

public class SpanReaderTests
{
    [Fact]
    public void ReadsBothByteOrdersExplicitly()
    {
        // Given
        byte[] bytes = [0x12, 0x34, 0x12, 0x34, 0xA1, 0xB2, 0xC3, 0xD4, 0xA1, 0xB2, 0xC3, 0xD4];
        var reader = new SpanReader(bytes);

        // When
        Assert.True(reader.TryReadUInt16BigEndian(out ushort big16));
        Assert.True(reader.TryReadUInt16LittleEndian(out ushort little16));
        Assert.True(reader.TryReadUInt32(bigEndian: true, out uint big32));
        Assert.True(reader.TryReadUInt32(bigEndian: false, out uint little32));

        // Then
        Assert.Equal(0x1234, big16);
        Assert.Equal(0x3412, little16);
        Assert.Equal(0xA1B2C3D4u, big32);
        Assert.Equal(0xD4C3B2A1u, little32);
        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 4)]
    [InlineData(7, 8)]
    public void ReadPastTheEndFailsAndLeavesThePositionUnchanged(int available, int wanted)
    {
        // Given
        var reader = new SpanReader(new byte[available]);

        // When
        bool read = wanted switch
        {
            1 => reader.TryReadUInt8(out _),
            2 => reader.TryReadUInt16BigEndian(out _),
            4 => reader.TryReadUInt32LittleEndian(out _),
            _ => reader.TryReadUInt64BigEndian(out _),
        };

        // Then
        Assert.False(read);
        Assert.Equal(0, reader.Position);
    }

    [Fact]
    public void NegativeCountsAreRejectedByTheBoundsGate()
    {
        // Given
        var reader = new SpanReader(new byte[8]);

        // When
        bool skipped = reader.TrySkip(-1);
        bool sliced = reader.TryReadBytes(-4, out _);

        // Then
        Assert.False(skipped);
        Assert.False(sliced);
        Assert.Equal(8, reader.Remaining);
    }

    [Fact]
    public void ReadBytesReturnsASliceOfTheInput()
    {
        // Given
        byte[] bytes = [1, 2, 3, 4, 5];
        var reader = new SpanReader(bytes);
        _ = reader.TrySkip(1);

        // When
        Assert.True(reader.TryReadBytes(3, out var slice));

        // Then
        Assert.Equal([2, 3, 4], slice.ToArray());
        Assert.Equal(1, reader.Remaining);
        Assert.Equal([5], reader.Rest.ToArray());
    }
}
