using KubeTriage.Capture.Flows;

namespace KubeTriage.Capture.Tests.Flows;

public class DuplicateFilterTests
{
    private const long Window = 5_000_000;

    [Theory]
    [InlineData(2, 1_000_000, true)] // another interface, 1 ms later: the node's second copy
    [InlineData(1, 1_000_000, false)] // the same interface: a retransmission
    [InlineData(2, 6_000_000, false)] // another interface, past the window
    [InlineData(2, -1_000_000, true)] // another interface, 1 ms earlier (files merged with a clock skew)
    public void APacketIsACopyOnlyOnAnotherInterfaceWithinTheWindow(int secondInterface, long delayNs, bool copy)
    {
        // Given
        var filter = default(DuplicateFilter);
        Assert.False(filter.IsCopy(0xABCDEF, 7, 1, 1_000_000_000, Window));

        // When
        var second = filter.IsCopy(0xABCDEF, 7, secondInterface, 1_000_000_000 + delayNs, Window);

        // Then
        Assert.Equal(copy, second);
    }

    [Theory]
    [InlineData(long.MinValue, long.MaxValue)]
    [InlineData(long.MaxValue, long.MinValue)]
    [InlineData(long.MinValue, 0)]
    [InlineData(0, long.MinValue)]
    public void PacketsAtTheTwoEndsOfTimeAreNotCopiesAndDoNotOverflow(long first, long second)
    {
        // Given: a damaged file's timestamps, as far apart as a long allows
        var filter = default(DuplicateFilter);
        Assert.False(filter.IsCopy(42, 0, 1, first, Window));

        // When
        var copy = filter.IsCopy(42, 0, 2, second, Window);

        // Then
        Assert.False(copy);
    }
}
