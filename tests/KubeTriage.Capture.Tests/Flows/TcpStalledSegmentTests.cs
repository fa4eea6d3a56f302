using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

/// <summary>
/// How a connection keeps the segment each side sent again most often at one sequence number: how often, its size,
/// whether the peer acknowledged it in the end, and the largest segment of that side acknowledged before. A segment
/// of 1000 bytes or more sent again three times and never acknowledged, after smaller ones got through, has the shape
/// of a path-MTU black hole; a segment acknowledged in the end as it was, or one no larger than what passed before, has not.
/// </summary>
public class TcpStalledSegmentTests
{
    private static readonly byte[] Full = new byte[1448];
    private static readonly byte[] Request = new byte[300];

    [Fact]
    public void AFullSizeSegmentSentAgainAndNeverAcknowledgedAfterASmallOneGotThroughIsABlackHole()
    {
        // Given: frames 1-3 handshake, 4 a 300-byte request, 5 its acknowledgment, 6 a 1448-byte segment, 7-10 it again
        var script = new TcpScript().Handshake().ClientSends(Request).ServerWindow(65535).ClientSends(Full)
            .Again(TimeSpan.FromMilliseconds(200)).Again(TimeSpan.FromMilliseconds(400)).Again(TimeSpan.FromMilliseconds(800)).Again(TimeSpan.FromMilliseconds(1600));

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        var stall = Assert.NotNull(connection.StalledToServer);
        Assert.Equal((4, 1448, 1448, false, 300), (stall.Resends, stall.Length, stall.LastLength, stall.Acknowledged, stall.LargestAcknowledgedBefore));
        Assert.Equal((script.Packets[6].TimeNs, 7L, script.Packets[9].TimeNs), (stall.FirstResendNs, stall.FirstResendFrame, stall.LastResendNs));
        Assert.True(stall.LooksLikeBlackHole);
        Assert.Null(connection.StalledToClient);
    }

    [Fact]
    public void ASegmentAcknowledgedInTheEndAsItWasIsLossNotABlackHole()
    {
        // Given: the 1448-byte segment sent again three times, then acknowledged (the path came back)
        var script = new TcpScript().Handshake().ClientSends(Request).ServerWindow(65535).ClientSends(Full)
            .Again(TimeSpan.FromMilliseconds(200)).Again(TimeSpan.FromMilliseconds(400)).Again(TimeSpan.FromMilliseconds(800)).ServerWindow(65535);

        // When
        var stall = Assert.NotNull(Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections).StalledToServer);

        // Then
        Assert.Equal((3, true), (stall.Resends, stall.Acknowledged));
        Assert.False(stall.LooksLikeBlackHole);
    }

    [Fact]
    public void ASegmentThatGotThroughOnlyAsASmallerCopyIsABlackHoleTheSenderProbedItsWayAround()
    {
        // Given: the 1448-byte segment sent again three times, then a 1000-byte copy at the same sequence, acknowledged
        var script = new TcpScript().Handshake().ClientSends(Request).ServerWindow(65535);
        uint start = TcpScript.ClientIsn + 1 + (uint)Request.Length;
        script.ClientSends(Full).Again(TimeSpan.FromMilliseconds(200)).Again(TimeSpan.FromMilliseconds(400)).Again(TimeSpan.FromMilliseconds(800))
            .FromClient(TcpFlags.Ack, start, TcpScript.ServerIsn + 1, new byte[1000])
            .FromServer(TcpFlags.Ack, TcpScript.ServerIsn + 1, start + 1000, []);

        // When
        var stall = Assert.NotNull(Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections).StalledToServer);

        // Then
        Assert.Equal((4, 1448, 1000, true), (stall.Resends, stall.Length, stall.LastLength, stall.Acknowledged));
        Assert.True(stall.LooksLikeBlackHole);
    }

    [Fact]
    public void ASegmentNoLargerThanOneThatGotThroughBeforeIsNotABlackHole()
    {
        // Given: a 1448-byte segment acknowledged, then the next one sent again four times and never acknowledged (the peer went away)
        var script = new TcpScript().Handshake().ClientSends(Full).ServerWindow(65535).ClientSends(Full)
            .Again(TimeSpan.FromMilliseconds(200)).Again(TimeSpan.FromMilliseconds(400)).Again(TimeSpan.FromMilliseconds(800)).Again(TimeSpan.FromMilliseconds(1600));

        // When
        var stall = Assert.NotNull(Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections).StalledToServer);

        // Then
        Assert.Equal((4, 1448, 1448, false), (stall.Resends, stall.LargestAcknowledgedBefore, stall.Length, stall.Acknowledged));
        Assert.False(stall.LooksLikeBlackHole);
    }

    [Theory]
    [InlineData(2, 1448)]
    [InlineData(4, 600)]
    public void FewResendsOrASmallSegmentIsNotABlackHole(int resends, int length)
    {
        // Given
        var script = new TcpScript().Handshake().ClientSends(Request).ServerWindow(65535).ClientSends(new byte[length]);
        for (int i = 0; i < resends; i++)
        {
            script.Again(TimeSpan.FromMilliseconds(200 << i));
        }

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.False(connection.StalledToServer is { LooksLikeBlackHole: true });
        Assert.Equal(resends, connection.DataRetransmissionsToServer);
    }

    [Fact]
    public void ResendsOfDifferentSegmentsAreNotOneStall()
    {
        // Given: three different segments each sent again once (ordinary loss recovery)
        var script = new TcpScript().Handshake().ClientSends(Request).ServerWindow(65535)
            .ClientSends(Full).Again(TimeSpan.FromMilliseconds(200)).ClientSends(Full).Again(TimeSpan.FromMilliseconds(200)).ClientSends(Full).Again(TimeSpan.FromMilliseconds(200));

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Equal(3, connection.DataRetransmissionsToServer);
        Assert.Null(connection.StalledToServer);
    }
}
