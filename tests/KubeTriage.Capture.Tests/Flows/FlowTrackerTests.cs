using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

public class FlowTrackerTests
{
    [Fact]
    public void IdleConnectionsAreReportedAndForgottenDuringTheCapture()
    {
        // Given: 50 connections closed one second apart; closed connections expire 5 s after their last packet
        var packets = new List<(int, long, byte[])>();
        for (int i = 0; i < 50; i++)
        {
            var script = new TcpScript(clientPort: (ushort)(41000 + i)).Handshake().ClientSends("q").ServerSends("a").Close();
            packets.AddRange(script.Packets.Select(p => (p.Interface, p.TimeNs + (i * 1_000_000_000L), p.Frame)));
        }

        var sink = new RecordingSink();
        var live = new CaptureEngine(sink).StartLive("live");
        int handle = live.AddInterface("eth0", KubeTriage.Capture.Files.LinkType.Ethernet);

        // When
        foreach (var (_, time, frame) in packets)
        {
            live.OnPacket(handle, time, frame);
        }

        int reportedBeforeEnd = sink.Connections.Count;
        _ = live.Complete();

        // Then: most were reported while the capture still ran, all are reported in the end
        Assert.InRange(reportedBeforeEnd, 40, 47);
        Assert.Equal(50, sink.Connections.Count);
        Assert.Equal(Enumerable.Range(41000, 50), sink.Connections.Select(c => (int)c.Client.Port));
    }

    [Fact]
    public void UdpFlowsGoToTheirDissectorOnceEvenWhenSeenOnTwoInterfaces()
    {
        // Given: a DNS query seen on veth (0) and NIC (1), its answer likewise
        var query = FrameBuilder.Udp("198.18.1.20", 45000, "198.18.2.10", 53, "query"u8.ToArray());
        var answer = FrameBuilder.Udp("198.18.2.10", 53, "198.18.1.20", 45000, "answer"u8.ToArray());
        long t = 1_700_000_000_000_000_000;
        var registry = new TestRegistry();

        // When
        var sink = CaptureRun.Live(registry, null, (0, t, query), (1, t + 30_000, query), (1, t + 5_000_000, answer), (0, t + 5_030_000, answer));

        // Then
        var flow = Assert.Single(sink.UdpFlows);
        Assert.Equal("198.18.1.20:45000", flow.Client.ToString());
        Assert.Equal((1, 1), (flow.PacketsToServer, flow.PacketsToClient));
        Assert.Equal(2, flow.DuplicatesOnOtherInterface);
        Assert.Equal("dns", flow.Protocol);
        Assert.Equal(["198.18.1.20:45000 > 198.18.2.10:53 query", "198.18.2.10:53 > 198.18.1.20:45000 answer"], registry.Udp.Datagrams);
        Assert.True(registry.Udp.Ended);
        Assert.Equal(4, sink.Packets.Count);
    }

    [Fact]
    public void UdpDissectorsAreTickedAsCaptureTimeAdvances()
    {
        // Given: datagrams spread over 10 s
        var registry = new TestRegistry();
        var packets = Enumerable.Range(0, 10)
            .Select(i => (0, 1_700_000_000_000_000_000 + (i * 1_000_000_000L), FrameBuilder.Udp("198.18.1.20", (ushort)(45000 + i), "198.18.2.10", 53, [1])))
            .ToArray();

        // When
        _ = CaptureRun.Live(registry, null, packets);

        // Then
        Assert.InRange(registry.Udp.Ticks, 9, 10);
    }

    [Fact]
    public void FlowKeyIsTheSameInBothDirections()
    {
        // Given
        var a = KubeTriage.Capture.Primitives.NetAddress.Parse("198.18.1.20");
        var b = KubeTriage.Capture.Primitives.NetAddress.Parse("198.18.2.20");

        // When
        var forward = FlowKey.Create(a, 40000, b, 3306, 6, out bool forwardIsA);
        var backward = FlowKey.Create(b, 3306, a, 40000, 6, out bool backwardIsA);
        var otherPort = FlowKey.Create(a, 40001, b, 3306, 6, out _);

        // Then
        Assert.Equal(forward, backward);
        Assert.Equal(forward.GetHashCode(), backward.GetHashCode());
        Assert.NotEqual(forwardIsA, backwardIsA);
        Assert.NotEqual(forward, otherPort);
    }
}
