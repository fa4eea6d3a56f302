using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

/// <summary>
/// How a connection accounts the zero windows each side advertised: segments, stalls timed until the window
/// reopens (or the connection ends), the longest stall with its frame, and the peer's window probes, which are
/// not retransmissions.
/// </summary>
public class TcpZeroWindowTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void AStallRunsFromTheFirstZeroWindowUntilTheSameSideReopensIt()
    {
        // Given: frames 1-3 handshake, 4 client data, 5 server window 0, 6 again 301 ms later, 7 reopened 200 ms after that
        var script = new TcpScript().Handshake().ClientSends("abc")
            .ServerWindow(0).Wait(TimeSpan.FromMilliseconds(300)).ServerWindow(0).Wait(TimeSpan.FromMilliseconds(199)).ServerWindow(65535);

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        var server = connection.ServerZeroWindow;
        Assert.Equal((2, 1), (server.Segments, server.Stalls));
        Assert.Equal(501 * Ms, server.StalledNs);
        Assert.Equal(501 * Ms, server.LongestStallNs);
        Assert.Equal(5, server.LongestStallFrame);
        Assert.Equal(script.Packets[4].TimeNs, server.LongestStallStartNs);
        Assert.False(server.LongestStallUnresolved);
        Assert.False(server.OpenAtEnd);
        Assert.Equal(default, connection.ClientZeroWindow);
        Assert.Equal(2, connection.ZeroWindowSegments);
    }

    [Fact]
    public void SeveralStallsAddUpAndTheLongestKeepsItsStart()
    {
        // Given: the client stalls the server twice: 101 ms from frame 5, then 401 ms from frame 8
        var script = new TcpScript().Handshake().ServerSends("row 1")
            .ClientWindow(0).Wait(TimeSpan.FromMilliseconds(100)).ClientWindow(1024)
            .ServerSends("row 2")
            .ClientWindow(0).Wait(TimeSpan.FromMilliseconds(400)).ClientWindow(1024);

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        var client = connection.ClientZeroWindow;
        Assert.Equal((2, 2), (client.Segments, client.Stalls));
        Assert.Equal(502 * Ms, client.StalledNs);
        Assert.Equal(401 * Ms, client.LongestStallNs);
        Assert.Equal(8, client.LongestStallFrame);
        Assert.False(client.OpenAtEnd);
        Assert.Equal(default, connection.ServerZeroWindow);
    }

    [Fact]
    public void AWindowStillZeroAtTheLastPacketIsUnresolvedAndRunsToIt()
    {
        // Given: the server's window closes at frame 5 and is still closed 2 s later when the capture ends
        var script = new TcpScript().Handshake().ClientSends("abc")
            .ServerWindow(0).Wait(TimeSpan.FromSeconds(1)).ClientEmptyProbe().ServerWindow(0).Wait(TimeSpan.FromSeconds(1)).ClientEmptyProbe().ServerWindow(0);

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        var server = connection.ServerZeroWindow;
        Assert.Equal((3, 1, 2), (server.Segments, server.Stalls, server.Probes));
        Assert.Equal(2_004 * Ms, server.LongestStallNs);
        Assert.True(server.LongestStallUnresolved);
        Assert.True(server.OpenAtEnd);
        Assert.Equal(0, connection.Retransmissions);
    }

    [Fact]
    public void AResetEndsAStallUnresolved()
    {
        // Given: the server's window closes, then 300 ms later the client gives up with a reset; a late window update follows
        var script = new TcpScript().Handshake().ClientSends("abc").ServerWindow(0).Wait(TimeSpan.FromMilliseconds(299))
            .FromClient(TcpFlags.Rst, TcpScript.ClientIsn + 4, 0, [])
            .Wait(TimeSpan.FromMilliseconds(500)).ServerWindow(65535);

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        var server = connection.ServerZeroWindow;
        Assert.Equal(300 * Ms, server.LongestStallNs);
        Assert.True(server.LongestStallUnresolved);
        Assert.True(server.OpenAtEnd);
    }

    [Fact]
    public void SynFinAndResetWindowsAreNotZeroWindowAdvertisements()
    {
        // Given: a reset with window 0 (as stacks send them) and a FIN with window 0
        var script = new TcpScript().Handshake().ClientSends("abc")
            .FromServer(TcpFlags.Fin | TcpFlags.Ack, TcpScript.ServerIsn + 1, TcpScript.ClientIsn + 4, [], window: 0)
            .FromServer(TcpFlags.Rst, TcpScript.ServerIsn + 2, 0, [], window: 0);

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Equal(0, connection.ZeroWindowSegments);
        Assert.Equal(default, connection.ServerZeroWindow);
    }

    [Fact]
    public void OneByteWindowProbesAreNotRetransmissionsAndTheStreamStaysWhole()
    {
        // Given: Windows-style probes: the client sends its next byte alone, twice, while the server's window is zero
        // (the server answers each with window 0); then the window opens and the client sends the rest from that byte on
        var script = new TcpScript().Handshake().ClientSends("abc").ServerWindow(0)
            .Wait(TimeSpan.FromMilliseconds(200)).ClientProbe('d').ServerWindow(0)
            .Wait(TimeSpan.FromMilliseconds(400)).ClientProbe('d').ServerWindow(0)
            .Wait(TimeSpan.FromMilliseconds(100)).ServerWindow(65535).ClientSends("defg");
        var registry = new TestRegistry();

        // When
        var connection = Assert.Single(CaptureRun.Live(registry, null, script.Packets).Connections);

        // Then
        Assert.Equal(0, connection.Retransmissions);
        Assert.Equal(2, connection.ServerZeroWindow.Probes);
        Assert.Equal(3, connection.ServerZeroWindow.Segments);
        Assert.Equal("abcdefg", registry.TcpDissectors[0].ClientBytes.ToString());
        Assert.DoesNotContain(registry.TcpDissectors[0].Events, e => e.StartsWith("gap", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptyWindowProbesAndTheirAnswersAreNotRetransmissions()
    {
        // Given: Linux-style probes (no data, one below the next sequence), each answered by a zero-window ACK
        var script = new TcpScript().Handshake().ClientSends("abc").ServerWindow(0)
            .Wait(TimeSpan.FromMilliseconds(200)).ClientEmptyProbe().ServerWindow(0)
            .Wait(TimeSpan.FromMilliseconds(400)).ClientEmptyProbe().ServerWindow(0)
            .Wait(TimeSpan.FromMilliseconds(800)).ClientEmptyProbe().ServerWindow(65535).ClientSends("def");

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Equal(0, connection.Retransmissions);
        Assert.Equal((3, 1, 3), (connection.ServerZeroWindow.Segments, connection.ServerZeroWindow.Stalls, connection.ServerZeroWindow.Probes));
        Assert.False(connection.ServerZeroWindow.OpenAtEnd);
    }

    [Fact]
    public void AFullSegmentSentAgainDuringAStallIsStillARetransmission()
    {
        // Given: the client resends its whole last segment while the server's window is zero
        var script = new TcpScript().Handshake().ClientSends("abc").ServerWindow(0).Wait(TimeSpan.FromMilliseconds(200))
            .FromClient(TcpFlags.Ack | TcpFlags.Psh, TcpScript.ClientIsn + 1, TcpScript.ServerIsn + 1, "abc"u8.ToArray());

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Equal(1, connection.Retransmissions);
        Assert.Equal(0, connection.ServerZeroWindow.Probes);
    }

    [Fact]
    public void OneByteSegmentsWithAnOpenWindowAreOrdinaryData()
    {
        // Given: an interactive session: one-byte segments, the same one retransmitted, no zero window
        var script = new TcpScript().Handshake().ClientSends("a").ClientSends("b").Again(TimeSpan.FromMilliseconds(200));

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Equal(1, connection.Retransmissions);
        Assert.Equal(default, connection.ClientZeroWindow);
        Assert.Equal(default, connection.ServerZeroWindow);
    }
}
