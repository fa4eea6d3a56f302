using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

/// <summary>
/// ARP requests and replies are counted per interface and address asked for and reported when the capture ends;
/// announcements ask nobody and are not counted; a message that is not IPv4 over Ethernet is not read.
/// </summary>
public class ArpTrackerTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public void RequestsWithoutAReplyAreCountedWithTheirTimesAndFrame()
    {
        // Given: three requests for .1 a second apart on eth0, a request for .3 answered
        var packets = new[]
        {
            (0, 1 * Second, FrameBuilder.Arp(1, "198.18.1.20", "198.18.1.1")),
            (0, 2 * Second, FrameBuilder.Arp(1, "198.18.1.20", "198.18.1.1")),
            (0, 3 * Second, FrameBuilder.Arp(1, "198.18.1.20", "198.18.1.1")),
            (0, 4 * Second, FrameBuilder.Arp(1, "198.18.1.20", "198.18.1.3")),
            (0, 4 * Second + 100, FrameBuilder.Arp(2, "198.18.1.3", "198.18.1.20")),
        };

        // When
        var sink = CaptureRun.Live(null, null, packets);

        // Then
        Assert.Equal(2, sink.Arp.Count);
        var missing = sink.Arp[0];
        Assert.Equal((NetAddress.Parse("198.18.1.1"), NetAddress.Parse("198.18.1.20"), 3L, 0L), (missing.Target, missing.Requester, missing.Requests, missing.Replies));
        Assert.Equal((1 * Second, 1L, 3 * Second, (long?)null), (missing.FirstRequestNs, missing.FirstRequestFrame, missing.LastRequestNs, missing.FirstReplyNs));
        var answered = sink.Arp[1];
        Assert.Equal((NetAddress.Parse("198.18.1.3"), 1L, 1L, (long?)(4 * Second + 100)), (answered.Target, answered.Requests, answered.Replies, answered.FirstReplyNs));
        Assert.Empty(sink.Packets);
    }

    [Fact]
    public void AnnouncementsAndProbesAreNotQuestions()
    {
        // Given: a gratuitous ARP (sender asks for itself) and an address probe (sender 0.0.0.0)
        var sink = CaptureRun.Live(null, null,
            (0, Second, FrameBuilder.Arp(1, "198.18.1.20", "198.18.1.20")),
            (0, 2 * Second, FrameBuilder.Arp(1, "0.0.0.0", "198.18.1.21")));

        // Then
        Assert.Empty(sink.Arp);
    }

    [Fact]
    public void EveryPrefixOfAnArpMessageIsNeedMoreAndOtherHardwareIsNotRead()
    {
        var message = FrameBuilder.Arp(1, "198.18.1.20", "198.18.1.1")[14..];
        for (int i = 0; i < message.Length; i++)
        {
            Assert.True(ArpMessage.TryRead(message.AsSpan(0, i), out _).IsNeedMore, $"prefix {i}");
        }

        Assert.True(ArpMessage.TryRead(message, out var parsed).IsParsed);
        Assert.Equal((ArpMessage.Request, NetAddress.Parse("198.18.1.1")), (parsed.Operation, parsed.Target));
        message[1] = 6;
        Assert.True(ArpMessage.TryRead(message, out _).IsMalformed);
    }
}
