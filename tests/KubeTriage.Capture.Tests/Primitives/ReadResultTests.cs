using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Tests.Primitives;

public class ReadResultTests
{
    [Fact]
    public void EachOutcomeSaysWhatHappened()
    {
        // Given
        var parsed = ReadResult.Parsed(12);
        var needMore = ReadResult.NeedMore;
        var malformed = ReadResult.Malformed(WireError.PacketBadHeaderLength, 3);

        // Then
        Assert.True(parsed.IsParsed);
        Assert.Equal(12, parsed.Consumed);
        Assert.True(needMore.IsNeedMore);
        Assert.Equal(0, needMore.Consumed);
        Assert.True(malformed.IsMalformed);
        Assert.Equal("malformed at offset 3: PacketBadHeaderLength", malformed.ToString());
    }
}
