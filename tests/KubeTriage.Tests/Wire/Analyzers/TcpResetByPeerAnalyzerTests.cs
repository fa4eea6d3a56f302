using KubeTriage.Capture;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class TcpResetByPeerAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Database = "198.18.2.20";
    private const string Api = "198.18.3.30";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("clean closes raise nothing", s => s.OnTcpConnection(Carried(Pod, 40001, Database, 3306)), []),
        new("the server's RST while the query waited", s =>
        {
            s.OnTcpConnection(Carried(Pod, 40001, Database, 3306));
            s.OnTcpConnection(ResetWhileWaiting(Pod, 40002, Database, 3306, atMs: 100));
        }, ["warning 198.18.2.20:3306"]),
        new("every connection that carried a request was reset: critical", s =>
        {
            s.OnTcpConnection(ResetWhileWaiting(Pod, 40001, Database, 3306));
            s.OnTcpConnection(ResetAfterClose(Pod, 40002, Database, 3306, atMs: 100));
            s.OnTcpConnection(Connect(Pod, 40003, Database, 3306, TcpOutcome.Established, 200));
        }, ["critical 198.18.2.20:3306"]),
        new("the pod's own RST with its request outstanding (a client timeout) is not the peer's", s =>
            s.OnTcpConnection(ResetWhileWaiting(Pod, 40001, Api, 80) with { FirstResetByServer = false }), []),
        new("the server's RST after everything was answered is an idle close", s =>
            s.OnTcpConnection(ResetWhileWaiting(Pod, 40001, Api, 80) with { ResetWithRequestOutstanding = false, OutstandingRequestNs = null }), []),
        new("a SYN answered by RST is a refused connect", s =>
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Refused, 0) with { FirstResetNs = At(1), FirstResetByServer = true }), []),
        new("the pod as server: its callers' resets are not raised", s =>
            s.OnTcpConnection(ResetWhileWaiting("198.18.0.50", 51000, Pod, 8080)), []),
        new("a MySQL COM_QUIT answered by RST is the client closing", s =>
        {
            s.OnMySql(Query(Pod, Database, null!, 2000, 0, MySqlOutcome.Sent, command: "quit") with { Command = MySqlCommand.Quit, Client = Ep(Pod, 40001), ResponseTimeNs = null });
            s.OnTcpConnection(ResetAfterClose(Pod, 40001, Database, 3306));
        }, []),
        new("one finding per server endpoint", s =>
        {
            s.OnTcpConnection(ResetWhileWaiting(Pod, 40001, Database, 3306));
            s.OnTcpConnection(ResetWhileWaiting(Pod, 40002, Api, 80));
            s.OnTcpConnection(Carried(Pod, 40003, Api, 80));
        }, ["critical 198.18.2.20:3306", "warning 198.18.3.30:80"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerServerThatResetRequests(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new TcpResetByPeerAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.TcpResetByPeer, f.Id));
    }

    [Fact]
    public void APooledConnectionClosedByTheServersIdleTimeoutCitesTheIdleTimeTheQueryAndTheFrames()
    {
        // Given: an answered query, wait_timeout closes the connection 28.8 s later, the pool's next query 1.2 s after that gets RST
        var scenario = new AnalyzerCase("wait_timeout", s =>
        {
            s.OnMySql(Query(Pod, Database, "SELECT id FROM orders WHERE user = 7", 30_000, 0, MySqlOutcome.NoResponse, frame: 41) with
            {
                Client = Ep(Pod, 40001), ResponseTimeNs = null,
            });
            s.OnTcpConnection(ResetAfterClose(Pod, 40001, Database, 3306, protocol: "mysql"));
            s.OnTcpConnection(Carried(Pod, 40002, Database, 3306));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpResetByPeerAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("198.18.2.20:3306 reset 1 of 2 of the pod's connections while a request waited for its answer (connection reset by peer)", finding.Title);
        Assert.Equal(
        [
            "1 of 2 connections from the pod to 198.18.2.20:3306 that carried a request was reset by 198.18.2.20 before the request was answered, at 22:13:50.001 (mysql)",
            "1 closed by 198.18.2.20 (FIN) after 28.8 s without traffic, then the pod sent its next request on the closed connection and got RST:"
            + " an idle timeout closed a pooled connection the pod still used",
            "198.18.1.20:40001 → 198.18.2.20:3306: the server closed it (FIN) at 22:13:48.800 (frame 40 in node.pcapng) after 28.8 s idle;"
            + " mysql COM_QUERY SELECT id FROM orders WHERE user = 7 sent at 22:13:50.000 (frame 41 in node.pcapng), 1.20 s later,"
            + " was answered by RST at 22:13:50.001 (frame 42 in node.pcapng)",
        ], finding.Evidence);
        Assert.Contains("SHOW VARIABLES LIKE 'wait_timeout'", finding.Remediation);
        Assert.Contains("conntrack -L -p tcp --dport 3306", finding.Remediation);
        Assert.Contains("sysctl net.netfilter.nf_conntrack_tcp_timeout_established", finding.Remediation);
        Assert.DoesNotContain("--previous", finding.Remediation);
    }

    [Fact]
    public void AResetWhileWaitingCitesTheHttpRequestAndPointsAtTheServersRestarts()
    {
        // Given: GET /orders unanswered, RST 250 ms later
        var scenario = new AnalyzerCase("crash", s =>
        {
            s.OnHttp(HttpUnanswered(Pod, Api, "orders", "/orders?id=7", 5000, frame: 20) with { Client = Ep(Pod, 40001) });
            s.OnTcpConnection(ResetWhileWaiting(Pod, 40001, Api, 80, protocol: "http"));
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpResetByPeerAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("198.18.3.30:80 (orders)", finding.Subject);
        Assert.Equal("198.18.3.30:80 (orders) reset the pod's connection while a request waited for its answer (connection reset by peer)", finding.Title);
        Assert.Equal("1 reset while the pod waited for the answer: the server dropped the connection with the request outstanding", finding.Evidence[1]);
        Assert.Equal("198.18.1.20:40001 → 198.18.3.30:80: HTTP GET /orders?id=7 sent at 22:13:25.000 (frame 20 in node.pcapng);"
            + " RST at 22:13:25.250 (frame 21 in node.pcapng), 250 ms later, without an answer", finding.Evidence[2]);
        Assert.Contains("kubectl get pods -A -o wide | grep 198.18.3.30", finding.Remediation);
        Assert.Contains("--previous", finding.Remediation);
        Assert.DoesNotContain("wait_timeout", finding.Remediation);
    }

    [Fact]
    public void ExamplesAreBoundedAndCountsCoverEveryConnection()
    {
        // Given: 40 connections reset while waiting
        var scenario = new AnalyzerCase("many", s =>
        {
            for (ushort i = 0; i < 40; i++)
            {
                s.OnTcpConnection(ResetWhileWaiting(Pod, (ushort)(40000 + i), Api, 80, atMs: i * 100));
            }
        }, []);

        // When
        var context = scenario.Context();
        var finding = Assert.Single(AnalyzerCase.Run(new TcpResetByPeerAnalyzer(), context));

        // Then
        var group = Assert.Single(context.Evidence.TcpGroups);
        Assert.Equal((40L, 40L, 3), (group.RequestConnections, group.ResetWhileWaiting, group.ResetExamples.Count));
        Assert.StartsWith("40 of 40 connections from the pod to 198.18.3.30:80 that carried a request were reset", finding.Evidence[0]);
        Assert.Equal(2 + 3, finding.Evidence.Count);
    }

    [Fact]
    public void AConnectionSeenBeforeAndAfterDnatIsCountedOnceUnderTheServiceAddress()
    {
        // Given: one connection to a Service address, reset, and the same connection after DNAT to its backend
        var scenario = new AnalyzerCase("dnat", s =>
        {
            s.OnTcpConnection(ResetWhileWaiting(Pod, 41000, "198.18.5.10", 80) with { ClientInitialSequence = 7 });
            s.OnTcpConnection(ResetWhileWaiting(Pod, 41000, Api, 8080, atMs: 0.04) with { ClientInitialSequence = 7 });
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpResetByPeerAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("198.18.5.10:80", finding.Subject);
    }

    /// <summary>An established connection that carried a request and closed cleanly.</summary>
    private static TcpConnection Carried(string client, ushort clientPort, string server, ushort port, double atMs = 0) =>
        Connect(client, clientPort, server, port, TcpOutcome.Established, atMs, durationMs: 1000) with { DataSegmentsToServer = 1, DataSegmentsToClient = 1 };

    /// <summary>The server's RST (frame 21) 250 ms after the client's request (frame 20), 5 s in.</summary>
    private static TcpConnection ResetWhileWaiting(string client, ushort clientPort, string server, ushort port, double atMs = 0, string? protocol = null) =>
        Connect(client, clientPort, server, port, TcpOutcome.Established, atMs, durationMs: 5250, protocol: protocol) with
        {
            DataSegmentsToServer = 2,
            DataSegmentsToClient = 1,
            Resets = 1,
            FirstResetNs = At(atMs + 5250),
            FirstResetFrame = 21,
            FirstResetByServer = true,
            ResetWithRequestOutstanding = true,
            OutstandingRequestNs = At(atMs + 5000),
            OutstandingRequestFrame = 20,
            IdleBeforeRequestNs = Ms(3000),
        };

    /// <summary>
    /// Data last at the start; the server's FIN (frame 40) at 28.8 s, 28.8 s idle; the client's next request (frame 41) at 30 s
    /// and the server's RST (frame 42) 1 ms later.
    /// </summary>
    private static TcpConnection ResetAfterClose(string client, ushort clientPort, string server, ushort port, double atMs = 0, string? protocol = null) =>
        Connect(client, clientPort, server, port, TcpOutcome.Established, atMs, durationMs: 30_001, protocol: protocol) with
        {
            DataSegmentsToServer = 2,
            DataSegmentsToClient = 1,
            Resets = 1,
            FirstResetNs = At(atMs + 30_001),
            FirstResetFrame = 42,
            FirstResetByServer = true,
            ResetWithRequestOutstanding = true,
            ServerClosedBeforeReset = true,
            ServerFinNs = At(atMs + 28_800),
            ServerFinFrame = 40,
            OutstandingRequestNs = At(atMs + 30_000),
            OutstandingRequestFrame = 41,
            IdleBeforeRequestNs = Ms(30_000),
        };
}
