using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Flows;

/// <summary>
/// A server that speaks first (a greeting) half a second or more after its SYN-ACK has the wait kept on its connection;
/// a prompt greeting, or server data that answers the client, is not a late greeting.
/// </summary>
public class TcpGreetingTests
{
    [Fact]
    public void AGreetingTwoSecondsAfterTheSynAckIsKeptWithItsFrame()
    {
        // Given: frames 1-3 handshake (SYN-ACK at frame 2), 2 s of silence, frame 4 the server's greeting, 5 the client's login
        var script = new TcpScript().Handshake().Wait(TimeSpan.FromSeconds(2)).ServerSends("greeting").ClientSends("login");

        // When
        var connection = Assert.Single(CaptureRun.Live(null, null, script.Packets).Connections);

        // Then
        Assert.Equal(script.Packets[3].TimeNs - script.Packets[1].TimeNs, connection.GreetingDelayNs);
        Assert.Equal((script.Packets[3].TimeNs, 4L), (connection.GreetingNs, connection.GreetingFrame));
    }

    [Fact]
    public void APromptGreetingOrAnAnswerToTheClientIsNoLateGreeting()
    {
        // Given: a greeting right after the handshake; a server answering the client's request 2 s later
        var prompt = new TcpScript().Handshake().ServerSends("greeting").ClientSends("login");
        var answer = new TcpScript().Handshake().ClientSends("GET /").Wait(TimeSpan.FromSeconds(2)).ServerSends("200 OK");

        // When
        var connections = new[] { prompt, answer }.Select(s => Assert.Single(CaptureRun.Live(null, null, s.Packets).Connections)).ToList();

        // Then
        Assert.All(connections, c => Assert.Null(c.GreetingDelayNs));
    }
}
