using System.Text;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

public class TcpTurnTests
{
    private const long Start = 1_700_000_000_000_000_000;
    private const long Ms = 1_000_000;

    [Fact]
    public void ATurnRunsFromTheClientsFirstDataByteToTheServersLastDataByte()
    {
        // Given: a request answered in two parts 1.5 s apart (a download), then a second request answered at once
        var script = new TcpScript().Handshake()
            .ClientSends("GET /a").ServerSends("part 1").Wait(TimeSpan.FromMilliseconds(1500)).ServerSends("part 2")
            .ClientSends("GET /b").ServerSends("b").Close();

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then: each packet of the script is 1 ms after the one before
        Assert.Equal(
            [(Start + 4 * Ms, Start + 1506 * Ms), (Start + 1507 * Ms, Start + 1508 * Ms)],
            sink.Turns.Select(t => (t.StartNs, t.EndNs)));
        Assert.All(sink.Turns, t => Assert.Equal(("198.18.1.20:40000", "198.18.2.20:3306"), (t.Client.ToString(), t.Server.ToString())));
    }

    [Fact]
    public void ARetransmittedAnswerExtendsTheTurn()
    {
        // Given: the answer is sent again 200 ms later
        var script = new TcpScript().Handshake().ClientSends("SELECT 1").ServerSends("1 row").Again(TimeSpan.FromMilliseconds(200)).Close();

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        var turn = Assert.Single(sink.Turns);
        Assert.Equal((Start + 4 * Ms, Start + 205 * Ms), (turn.StartNs, turn.EndNs));
    }

    [Fact]
    public void ACopySeenOnASecondInterfaceDoesNotExtendTheTurn()
    {
        // Given: every packet is seen on the veth (0) and again 20 µs later on the NIC (1)
        var script = new TcpScript().Handshake().ClientSends("SELECT 1").AlsoOn(1).ServerSends("1 row").AlsoOn(1).Close();

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        var turn = Assert.Single(sink.Turns);
        Assert.Equal((Start + 4 * Ms, Start + 5 * Ms), (turn.StartNs, turn.EndNs));
    }

    [Fact]
    public void ARequestTheServerNeverAnsweredWithDataIsNoTurn()
    {
        // Given
        var script = new TcpScript().Handshake().ClientSends("SELECT SLEEP(60)").Close();

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        Assert.Empty(sink.Turns);
        Assert.Single(sink.Connections);
    }

    [Fact]
    public void AConnectionReusingTheSamePortsHasItsOwnTurnsAndClient()
    {
        // Given: a closed connection, then a new SYN from the same client port with another initial sequence
        var script = new TcpScript().Handshake().ClientSends("Q1").ServerSends("R1").Close()
            .FromClient(TcpFlags.Syn, 90_000, 0, [])
            .FromServer(TcpFlags.Syn | TcpFlags.Ack, 70_000, 90_001, [])
            .FromClient(TcpFlags.Ack, 90_001, 70_001, [])
            .FromClient(TcpFlags.Ack | TcpFlags.Psh, 90_001, 70_001, Encoding.ASCII.GetBytes("Q2"))
            .FromServer(TcpFlags.Ack | TcpFlags.Psh, 70_001, 90_003, Encoding.ASCII.GetBytes("R2"));

        // When
        var sink = CaptureRun.Live(null, null, script.Packets);

        // Then
        Assert.Equal(2, sink.Connections.Count);
        Assert.Equal([(Start + 4 * Ms, Start + 5 * Ms), (Start + 12 * Ms, Start + 13 * Ms)], sink.Turns.Select(t => (t.StartNs, t.EndNs)));
        Assert.All(sink.Turns, t => Assert.Equal(40000, t.Client.Port));
    }
}
