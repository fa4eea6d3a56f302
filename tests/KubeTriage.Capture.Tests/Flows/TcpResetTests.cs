using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

/// <summary>Who reset a connection, and whether the client's request was still waiting for its answer then.</summary>
public class TcpResetTests
{
    private const long T0 = 1_700_000_000_000_000_000;

    [Fact]
    public void ServerResetWithTheRequestOutstandingIsAResetMidRequest()
    {
        // Given: one query answered, a second one the server answers with RST 5 ms later
        var script = new TcpScript().Handshake()
            .ClientSends("SELECT 1").ServerSends("1 row")
            .Wait(TimeSpan.FromMilliseconds(199)).ClientSends("SELECT 2")
            .Wait(TimeSpan.FromMilliseconds(4)).ServerAborts();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then: frames 1-3 handshake, 4 and 5 the first turn, 6 the second query, 7 the RST
        Assert.True(connection.ServerResetMidRequest);
        Assert.True(connection.FirstResetByServer);
        Assert.False(connection.ServerClosedBeforeReset);
        Assert.Equal((T0 + 7_000_000 + 4_000_000 + 199_000_000, 7L), (connection.FirstResetNs, connection.FirstResetFrame));
        Assert.Equal((T0 + 6_000_000 + 199_000_000, 6L), (connection.OutstandingRequestNs, connection.OutstandingRequestFrame));
        Assert.Equal(200_000_000, connection.IdleBeforeRequestNs);
        Assert.Null(connection.ServerFinNs);
    }

    [Fact]
    public void RequestSentAfterTheServersFinAndAnsweredByRstIsAResetAfterTheClose()
    {
        // Given: an answered query, the server closes the idle connection 1 s later, the client's next query 2 s after that gets RST
        var script = new TcpScript().Handshake()
            .ClientSends("SELECT 1").ServerSends("1 row")
            .Wait(TimeSpan.FromMilliseconds(999)).ServerCloses()
            .Wait(TimeSpan.FromMilliseconds(1998)).ClientSends("SELECT 2")
            .ServerAborts();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then: frame 6 the server's FIN, 7 the client's ACK, 8 the query, 9 the RST
        Assert.True(connection.ServerResetMidRequest);
        Assert.True(connection.ServerClosedBeforeReset);
        Assert.Equal((T0 + 6_000_000 + 999_000_000, 6L), (connection.ServerFinNs, connection.ServerFinFrame));
        Assert.Equal(8, connection.OutstandingRequestFrame);
        Assert.Equal(9, connection.FirstResetFrame);
        Assert.Equal(3_000_000_000, connection.IdleBeforeRequestNs);
    }

    [Fact]
    public void ServerResetAfterEverythingWasAnsweredIsNotMidRequest()
    {
        // Given: the query answered, then the server drops the idle connection with RST
        var script = new TcpScript().Handshake().ClientSends("SELECT 1").ServerSends("1 row").Wait(TimeSpan.FromSeconds(5)).ServerAborts();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.True(connection.FirstResetByServer);
        Assert.False(connection.ResetWithRequestOutstanding);
        Assert.False(connection.ServerResetMidRequest);
        Assert.Null(connection.OutstandingRequestNs);
        Assert.Null(connection.IdleBeforeRequestNs);
    }

    [Fact]
    public void ClientResetWhileWaitingIsTheClientsOwnClose()
    {
        // Given: the client gives up on its request and aborts (an HTTP client's timeout)
        var script = new TcpScript(serverPort: 80).Handshake().ClientSends("GET / HTTP/1.1\r\nHost: a\r\n\r\n").Wait(TimeSpan.FromSeconds(3)).ClientAborts();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.False(connection.FirstResetByServer);
        Assert.True(connection.ResetWithRequestOutstanding);
        Assert.False(connection.ServerResetMidRequest);
    }

    [Fact]
    public void RstAnsweringTheSynIsNotMidRequest()
    {
        // Given
        var script = new TcpScript().Syn().ServerReset();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.True(connection.FirstResetByServer);
        Assert.False(connection.ServerResetMidRequest);
    }

    [Fact]
    public void CleanCloseHasNoReset()
    {
        // Given
        var script = new TcpScript().Handshake().ClientSends("SELECT 1").ServerSends("1 row").Close();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Null(connection.FirstResetNs);
        Assert.False(connection.FirstResetByServer);
        Assert.False(connection.ResetWithRequestOutstanding);
    }

    [Theory]
    [InlineData("tls 1.2 close_notify", new byte[] { 21, 3, 3, 0, 26, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9 }, false)]
    [InlineData("tls 1.3 encrypted alert", new byte[] { 23, 3, 3, 0, 19, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 }, false)]
    [InlineData("tls 1.3 application data", new byte[] { 23, 3, 3, 0, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40 }, true)]
    public void ATlsCloseAlertAnsweredByRstIsTheClientClosingNotARequest(string what, byte[] last, bool request)
    {
        // Given: the server's close (FIN), then the client's last TLS record, answered by RST
        var script = new TcpScript(serverPort: 443).Handshake()
            .ClientSends("request").ServerSends("response").ServerCloses().ClientSends(last).ServerAborts();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.True(connection.ServerClosedBeforeReset, what);
        Assert.Equal(request, connection.ServerResetMidRequest);
    }

    [Fact]
    public void AKeepAliveProbeAfterTheServersFinIsNotARequest()
    {
        // Given: the server closed the idle connection; the client's keep-alive (no data, one below its next sequence) gets RST
        var script = new TcpScript(serverPort: 80).Handshake()
            .ClientSends("GET /").ServerSends("200 OK").Wait(TimeSpan.FromSeconds(15)).ServerCloses()
            .Wait(TimeSpan.FromSeconds(45))
            .FromClient(KubeTriage.Capture.Packets.TcpFlags.Ack, TcpScript.ClientIsn + 5, TcpScript.ServerIsn + 8, [])
            .ServerAborts();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.True(connection.ServerClosedBeforeReset);
        Assert.False(connection.ServerResetMidRequest);
    }
}
