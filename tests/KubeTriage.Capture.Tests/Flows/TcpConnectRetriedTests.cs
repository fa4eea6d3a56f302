using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

/// <summary>
/// A connection whose client sent its SYN more than once keeps the time of the first SYN-ACK, so that the connect's
/// delay and whether the SYN-ACK came before a repeated SYN (it did not reach the client) can be told.
/// </summary>
public class TcpConnectRetriedTests
{
    [Fact]
    public void ASynSentAgainBeforeTheSynAckKeepsTheSynAckTime()
    {
        // Given: frame 1 SYN, frame 1 again 1 s later, then SYN-ACK and ACK
        var script = new TcpScript().Syn().Again(TimeSpan.FromSeconds(1)).SynAck().ClientAck();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Equal((TcpOutcome.Established, 2), (connection.Outcome, connection.SynAttempts));
        Assert.Equal(script.Packets[2].TimeNs, connection.SynAckNs);
        Assert.True(connection.SynTimesNs[^1] < connection.SynAckNs);
        Assert.Equal(0, connection.DataRetransmissionsToServer);
    }

    [Fact]
    public void ASynSentAgainAfterTheSynAckShowsTheSynAckDidNotReachTheClient()
    {
        // Given: SYN, SYN-ACK (seen here, lost before the client), the SYN again 1 s later, the SYN-ACK again, ACK
        var script = new TcpScript().Syn().SynAck().Wait(TimeSpan.FromSeconds(1)).Syn().SynAck().ClientAck();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Equal(2, connection.SynAttempts);
        Assert.Equal(script.Packets[1].TimeNs, connection.SynAckNs);
        Assert.True(connection.SynTimesNs[^1] > connection.SynAckNs);
    }

    [Fact]
    public void AConnectWithOneSynKeepsNoSynAckTime()
    {
        // Given
        var script = new TcpScript().Handshake();

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Null(connection.SynAckNs);
        Assert.Same(TcpConnectionExtras.None, connection.Extras);
    }
}
