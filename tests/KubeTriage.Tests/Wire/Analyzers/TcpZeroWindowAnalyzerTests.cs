using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class TcpZeroWindowAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Api = "198.18.2.30";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("no zero window, no finding", s => s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Established, 0)), []),
        new("the pod stops reading a download", s =>
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Established, 0, durationMs: 2000) with { ClientZeroWindow = ZeroWindow(100, 500) }),
            ["warning 198.18.1.20 → 198.18.2.30:80 (client's window)"]),
        new("the server stops reading an upload", s =>
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Established, 0, durationMs: 2000) with { ServerZeroWindow = ZeroWindow(100, 500) }),
            ["warning 198.18.1.20 → 198.18.2.30:80 (server's window)"]),
        new("both sides stall on one connection: two findings", s =>
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Established, 0, durationMs: 2000)
                with { ClientZeroWindow = ZeroWindow(100, 300), ServerZeroWindow = ZeroWindow(900, 400) }),
            ["warning 198.18.1.20 → 198.18.2.30:80 (client's window)", "warning 198.18.1.20 → 198.18.2.30:80 (server's window)"]),
        new("brief zero windows of a healthy bulk transfer raise nothing, however many", s =>
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Established, 0, durationMs: 5000)
                with { ClientZeroWindow = ZeroWindow(100, 150, stalls: 40, otherMs: 100) }), []),
        new("a stall of exactly 200 ms is raised", s =>
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Established, 0) with { ClientZeroWindow = ZeroWindow(1, 200) }),
            ["warning 198.18.1.20 → 198.18.2.30:80 (client's window)"]),
        new("a stall of 199 ms is not", s =>
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Established, 0) with { ClientZeroWindow = ZeroWindow(1, 199) }), []),
        new("the pod as a server stalls two clients: one finding for its port", s =>
        {
            s.OnTcpConnection(Connect("198.18.0.10", 50001, Pod, 8080, TcpOutcome.Established, 0, durationMs: 3000) with { ServerZeroWindow = ZeroWindow(10, 1200) });
            s.OnTcpConnection(Connect("198.18.0.11", 50002, Pod, 8080, TcpOutcome.Established, 0, durationMs: 3000) with { ServerZeroWindow = ZeroWindow(20, 800) });
        }, ["warning 2 clients (198.18.0.10, 198.18.0.11) → 198.18.1.20:8080 (server's window)"]),
        new("zero windows between two other hosts are not the pod's", s =>
        {
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Established, 0));
            s.OnTcpConnection(Connect("198.18.0.10", 50001, Api, 80, TcpOutcome.Established, 0, durationMs: 3000) with { ClientZeroWindow = ZeroWindow(10, 1200) });
        }, []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesAWarningPerStalledSideWhenAStallIsMaterial(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new TcpZeroWindowAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal((FindingIds.TcpZeroWindow, Severity.Warning), (f.Id, f.Severity)));
    }

    [Fact]
    public void ThePodAsTheReceiverIsToldToLookAtItsOwnCpuAndReader()
    {
        // Given: the pod's window closed at 100 ms (frame 7) and was still closed at the connection's last packet, the capture's end
        var scenario = new AnalyzerCase("pod stalls", s =>
        {
            Start(s, "eth0");
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.MidStream, 0, durationMs: 23_800)
                with { ClientZeroWindow = ZeroWindow(100, 23_700, frame: 7, segments: 4, probes: 3, unresolved: true) });
            End(s, 8, 0, 23_800);
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpZeroWindowAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("The pod stalled 198.18.2.30:80 with a zero TCP window for 23.7 s (still closed at the end)", finding.Title);
        Assert.Equal(
        [
            "the pod (198.18.1.20) advertised a zero receive window 4 times on 1 connection with 198.18.2.30:80: the pod's app stopped reading,"
            + " so 198.18.2.30:80 could not send and probed the closed window 3 times",
            "one stall of 23.7 s from 22:13:20.100 (frame 7 in node.pcapng), still zero at the connection's last packet at 22:13:43.800, when the capture ended",
        ], finding.Evidence);
        Assert.Contains("kubectl top pod", finding.Remediation);
        Assert.Contains("/sys/fs/cgroup/cpu.stat", finding.Remediation);
        Assert.Contains("ss -tmi 'dst 198.18.2.30:80'", finding.Remediation);
        Assert.Contains("jstack", finding.Remediation);
    }

    [Fact]
    public void APeerAsTheReceiverIsNamedAndTheRemediationPointsAtIt()
    {
        // Given: the server closed its window twice; the longest stall (900 ms from frame 40) ended when it reopened
        var scenario = new AnalyzerCase("server stalls", s =>
            s.OnTcpConnection(Connect(Pod, 40001, Api, 80, TcpOutcome.Established, 0, durationMs: 3000)
                with { ServerZeroWindow = ZeroWindow(1000, 900, frame: 40, stalls: 2, otherMs: 100) }), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpZeroWindowAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("198.18.2.30:80 stalled the pod with a zero TCP window for 1.00 s", finding.Title);
        Assert.Equal(
        [
            "198.18.2.30:80 advertised a zero receive window 4 times on 1 connection with the pod: its app stopped reading, so the pod could not send",
            "stalled 1.00 s in all over 2 stalls; the longest 900 ms from 22:13:21.000 (frame 40 in node.pcapng), until the window reopened at 22:13:21.900",
        ], finding.Evidence);
        Assert.StartsWith("198.18.2.30:80 stopped reading what the pod sends", finding.Remediation);
        Assert.Contains("ss -tmi 'sport = :80'", finding.Remediation);
        Assert.DoesNotContain("kubectl exec", finding.Remediation);
    }

    [Fact]
    public void SeveralConnectionsListTheLongestStallsAndThoseThatNeverReopened()
    {
        // Given: the pod as a server stops reading three uploads; one is reset while its window is still zero
        var scenario = new AnalyzerCase("pod server", s =>
        {
            s.OnTcpConnection(Connect("198.18.0.10", 50001, Pod, 8080, TcpOutcome.Established, 0, durationMs: 3000)
                with { ServerZeroWindow = ZeroWindow(10, 1200, frame: 5) });
            s.OnTcpConnection(Connect("198.18.0.10", 50002, Pod, 8080, TcpOutcome.Established, 0, durationMs: 3000)
                with { ServerZeroWindow = ZeroWindow(30, 300, frame: 9) });
            s.OnTcpConnection(Connect("198.18.0.11", 50003, Pod, 8080, TcpOutcome.Established, 0, durationMs: 3000)
                with { ServerZeroWindow = ZeroWindow(20, 800, frame: 7, unresolved: true), Resets = 1 });
        }, []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TcpZeroWindowAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("The pod stalled 2 clients (198.18.0.10, 198.18.0.11) with a zero TCP window for 2.30 s (still closed at the end)", finding.Title);
        Assert.Equal(
        [
            "198.18.0.10:50001 → 198.18.1.20:8080: 2 zero windows, longest stall 1.20 s from 22:13:20.010 (frame 5 in node.pcapng)",
            "198.18.0.11:50003 → 198.18.1.20:8080: 2 zero windows, longest stall 800 ms from 22:13:20.020 (frame 7 in node.pcapng)",
            "198.18.0.10:50002 → 198.18.1.20:8080: 2 zero windows, longest stall 300 ms from 22:13:20.030 (frame 9 in node.pcapng)",
            "1 connection still had a zero window at its end",
        ], finding.Evidence.Skip(2));
        Assert.Contains("ss -tmi 'sport = :8080'", finding.Remediation);
    }
}
