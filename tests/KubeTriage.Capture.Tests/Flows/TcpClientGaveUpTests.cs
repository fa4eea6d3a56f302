using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

/// <summary>
/// A client that closes or resets its connection while its request waits for an answer gave up on it; a client that
/// only shut down its sending half and then got its answer did not.
/// </summary>
public class TcpClientGaveUpTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AClientClosingOrResettingWithItsRequestUnansweredGaveUp(bool reset)
    {
        // Given: frame 4 the request, 2 s of silence, frame 5 the client's FIN or RST
        var script = new TcpScript().Handshake().ClientSends("GET /report").Wait(TimeSpan.FromSeconds(2));
        if (reset)
        {
            script.ClientAborts();
        }
        else
        {
            script.FromClient(TcpFlags.Fin | TcpFlags.Ack, TcpScript.ClientIsn + 12, TcpScript.ServerIsn + 1, []);
        }

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Equal((script.Packets[3].TimeNs, 4L), (connection.AbandonedRequestNs, connection.AbandonedRequestFrame));
        Assert.Equal((script.Packets[4].TimeNs, 5L, reset), (connection.ClientGaveUpNs, connection.ClientGaveUpFrame, connection.ClientGaveUpByReset));
    }

    [Fact]
    public void AnAnswerAfterTheClientsFinMeansItOnlyShutDownItsSending()
    {
        // Given: the request and the client's FIN, then the server's answer and close
        var script = new TcpScript().Handshake().ClientSends("GET /report")
            .FromClient(TcpFlags.Fin | TcpFlags.Ack, TcpScript.ClientIsn + 12, TcpScript.ServerIsn + 1, [])
            .Wait(TimeSpan.FromSeconds(2)).ServerSends("200 OK");

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Null(connection.ClientGaveUpNs);
    }
}
