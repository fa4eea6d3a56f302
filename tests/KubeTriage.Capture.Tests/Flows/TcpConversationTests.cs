using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Tests.Support;
using KubeTriage.Capture.Packets;

namespace KubeTriage.Capture.Tests.Flows;

public class TcpConversationTests
{
    [Fact]
    public void FullConnectionIsEstablishedWithRttCountersAndServerWait()
    {
        // Given: a query answered 40 ms later, then a clean close
        var script = new TcpScript().Handshake().ClientSends("SELECT 1").Wait(TimeSpan.FromMilliseconds(39)).ServerSends("1 row").Close();

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        var connection = Assert.Single(sink.Connections);
        Assert.Equal(TcpOutcome.Established, connection.Outcome);
        Assert.Equal("198.18.1.20:40000", connection.Client.ToString());
        Assert.Equal("198.18.2.20:3306", connection.Server.ToString());
        Assert.Equal(1, connection.SynAttempts);
        Assert.Equal(1_000_000, connection.HandshakeRttNs);
        Assert.Equal((5, 3), (connection.PacketsToServer, connection.PacketsToClient));
        Assert.Equal((8, 5), (connection.BytesToServer, connection.BytesToClient));
        Assert.Equal(40_000_000, connection.ServerWaitNs);
        Assert.Equal(1, connection.ServerTurns);
        Assert.True(connection.ClosedByFin);
        Assert.Equal(0, connection.Retransmissions);
        Assert.Equal([0], connection.InterfaceIds);
    }

    [Fact]
    public void UnansweredSynRetriesAreAttemptsOfOneConnection()
    {
        // Given: the kernel's SYN retries at 1 s and 3 s
        var script = new TcpScript().Syn().Again(TimeSpan.FromSeconds(1)).Again(TimeSpan.FromSeconds(2));

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        var connection = Assert.Single(sink.Connections);
        Assert.Equal(TcpOutcome.NoReply, connection.Outcome);
        Assert.Equal(3, connection.SynAttempts);
        Assert.Equal(2, connection.Retransmissions);
        Assert.Equal(3, connection.SynTimesNs.Count);
        Assert.Equal(3_000_000_000, connection.SynTimesNs[2] - connection.SynTimesNs[0]);
        Assert.Null(connection.HandshakeRttNs);
    }

    [Fact]
    public void ResetAnsweringTheSynIsRefused()
    {
        // Given
        var script = new TcpScript().Syn().ServerReset();

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        var connection = Assert.Single(sink.Connections);
        Assert.Equal(TcpOutcome.Refused, connection.Outcome);
        Assert.Equal(1, connection.Resets);
    }

    [Fact]
    public void CaptureStartingAfterTheHandshakeIsMidStreamWithTheHigherPortAsClient()
    {
        // Given: the first packet we see is the server's answer
        var script = new TcpScript().ServerSends("row").ClientSends("next");

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        var connection = Assert.Single(sink.Connections);
        Assert.Equal(TcpOutcome.MidStream, connection.Outcome);
        Assert.Equal(40000, connection.Client.Port);
    }

    [Fact]
    public void SynAckWithoutTheSynIsHalfOpen()
    {
        // Given
        var script = new TcpScript().SynAck().ClientAck();

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        var connection = Assert.Single(sink.Connections);
        Assert.Equal(TcpOutcome.HalfOpen, connection.Outcome);
        Assert.Equal(40000, connection.Client.Port);
    }

    [Fact]
    public void PacketsSeenOnVethAndNicAreDuplicatesNotRetransmissions()
    {
        // Given: tcpdump -i any on a forwarding node: every packet appears on interface 0 and again on 1
        var script = new TcpScript().Syn().AlsoOn(1).SynAck().AlsoOn(1).ClientAck().AlsoOn(1)
            .ClientSends("SELECT 1").AlsoOn(1).ServerSends("1 row").AlsoOn(1);
        var registry = new TestRegistry();

        // When
        var sink = CaptureRun.Live(registry, null, script.Packets);

        // Then
        var connection = Assert.Single(sink.Connections);
        Assert.Equal(TcpOutcome.Established, connection.Outcome);
        Assert.Equal(1, connection.SynAttempts);
        Assert.Equal(0, connection.Retransmissions);
        Assert.Equal(5, connection.DuplicatesOnOtherInterface);
        Assert.Equal((3, 2), (connection.PacketsToServer, connection.PacketsToClient));
        Assert.Equal([0, 1], connection.InterfaceIds);
        var dissector = Assert.Single(registry.TcpDissectors);
        Assert.Equal("SELECT 1", dissector.ClientBytes.ToString());
        Assert.Equal("1 row", dissector.ServerBytes.ToString());
    }

    [Fact]
    public void SameSegmentAgainOnTheSameInterfaceIsARetransmissionDeliveredOnce()
    {
        // Given
        var script = new TcpScript().Handshake().ClientSends("SELECT 1").Again(TimeSpan.FromMilliseconds(200)).ServerSends("ok");
        var registry = new TestRegistry();

        // When
        var sink = CaptureRun.Live(registry, null, script.Packets);

        // Then
        Assert.Equal(1, Assert.Single(sink.Connections).Retransmissions);
        Assert.Equal("SELECT 1", registry.TcpDissectors[0].ClientBytes.ToString());
    }

    [Fact]
    public void DataSentAgainIsCountedPerDirectionWithTheFirstFrameButSynAndFinRepeatsAreNot()
    {
        // Given: a repeated SYN, two server segments of which one is sent again twice, then a FIN sent again
        var script = new TcpScript().Syn().Again(TimeSpan.FromSeconds(1)).SynAck().ClientAck()
            .ClientSends("GET /").ServerSends("part one").ServerSends("part two").Again(TimeSpan.FromMilliseconds(200))
            .Again(TimeSpan.FromMilliseconds(400))
            .FromClient(TcpFlags.Fin | TcpFlags.Ack, TcpScript.ClientIsn + 6, TcpScript.ServerIsn + 17, []).Again(TimeSpan.FromMilliseconds(200))
            .FromServer(TcpFlags.Fin | TcpFlags.Ack, TcpScript.ServerIsn + 17, TcpScript.ClientIsn + 7, []);

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then: SYN, FIN and the two data repeats are retransmissions; only the data repeats count as lost data
        var connection = Assert.Single(sink.Connections);
        Assert.Equal(4, connection.Retransmissions);
        Assert.Equal((1L, 4L), (connection.DataSegmentsToServer, connection.DataSegmentsToClient));
        Assert.Equal((0, 2), (connection.DataRetransmissionsToServer, connection.DataRetransmissionsToClient));
        Assert.Equal(8, connection.FirstDataRetransmissionFrame);
        Assert.Equal(400_000_000, connection.LastDataRetransmissionNs - connection.FirstDataRetransmissionNs);
    }

    [Fact]
    public void CopiesHandedOverInABatchFromTheSecondInterfaceAreNotDataSentAgain()
    {
        // Given: a live capture on the NIC (0) and the veth (1) hands over eight server segments from the NIC, then
        // the veth's copies of the same eight, more than the copy filter remembers; the fifth is then sent again
        var script = new TcpScript().Handshake().ClientSends("GET /");
        for (int i = 0; i < 8; i++)
        {
            script.ServerSends($"segment {i}");
        }

        var nic = script.Packets;
        var copies = nic[^8..].Select(p => (Interface: 1, TimeNs: p.TimeNs + 30_000_000, p.Frame));
        var again = nic[^4];
        var resent = new[] { (again.Interface, again.TimeNs + 200_000_000, again.Frame), (1, again.TimeNs + 200_020_000, again.Frame) };

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, [.. nic, .. copies, .. resent]).Connections);

        // Then: the batch is copies; the segment sent again counts once, on the interface that carries the stream
        Assert.Equal(1, connection.DataRetransmissionsToClient);
        Assert.Equal(9, connection.DataSegmentsToClient);
        Assert.Equal(9, connection.DuplicatesOnOtherInterface);
    }

    [Fact]
    public void ConnectionWithoutRepeatsHasNoDataRetransmissionTime()
    {
        // Given
        var script = new TcpScript().Handshake().ClientSends("SELECT 1").ServerSends("1 row").Close();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Null(connection.FirstDataRetransmissionNs);
        Assert.Null(connection.LastDataRetransmissionNs);
        Assert.Equal((0, 0), (connection.DataRetransmissionsToServer, connection.DataRetransmissionsToClient));
    }

    [Fact]
    public void NewSynAfterACloseStartsANewConnection()
    {
        // Given: the same ports reused after a clean close, with a new initial sequence number
        var script = new TcpScript().Handshake().Close().Wait(TimeSpan.FromSeconds(1))
            .FromClient(KubeTriage.Capture.Packets.TcpFlags.Syn, 90_000, 0, []);

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        Assert.Equal([TcpOutcome.Established, TcpOutcome.NoReply], sink.Connections.Select(c => c.Outcome));
    }

    [Fact]
    public void ZeroWindowSegmentsAreCounted()
    {
        // Given
        var script = new TcpScript().Handshake()
            .FromClient(KubeTriage.Capture.Packets.TcpFlags.Ack, TcpScript.ClientIsn + 1, TcpScript.ServerIsn + 1, []);
        var packets = script.Packets;
        var last = packets[^1].Frame;
        last[14 + 20 + 14] = 0;
        last[14 + 20 + 15] = 0;

        // When
        var sink = CaptureRun.Live(null, null, packets);

        // Then
        Assert.Equal(1, Assert.Single(sink.Connections).ZeroWindowSegments);
    }
}
