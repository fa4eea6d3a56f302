using KubeTriage.Capture.Flows;
using KubeTriage.Findings;
using KubeTriage.Tests.Wire.Analyzers;
using KubeTriage.Wire;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire;

/// <summary>
/// One connection seen before and after DNAT on the node (the pod's SYN to a Service address on its veth, the
/// same SYN to the backend on the NIC): the same client address, port and initial sequence number.
/// </summary>
public class NatTranslationTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Service = "198.18.5.10";
    private const string Backend = "198.18.2.20";

    [Fact]
    public void TheSameClientSynToTwoServersIsAServiceAndItsBackend()
    {
        // Given: the veth view first, the NIC view 40 µs later; and an unrelated connection from another port
        var evidence = Build(
            Connect(Pod, 41000, Service, 3306, TcpOutcome.Established, 0) with { ClientInitialSequence = 7 },
            Connect(Pod, 41000, Backend, 3306, TcpOutcome.Established, 0.04) with { ClientInitialSequence = 7 },
            Connect(Pod, 41001, Backend, 3306, TcpOutcome.Established, 5) with { ClientInitialSequence = 9 });

        // Then
        var translation = Assert.Single(evidence.NatTranslations);
        Assert.Equal(($"{Service}:3306", $"{Backend}:3306", 1L), (translation.Service.ToString(), translation.Backend.ToString(), translation.Connections));
        Assert.Equal([Service], evidence.TranslatedPeersOf(Ip(Backend)).Select(a => a.ToString()));
    }

    [Fact]
    public void AConnectionSeenBeforeAndAfterDnatCountsOnceInTheTotalsAndThePodsOpens()
    {
        // Given: two connections to the Service, each seen on the veth and again on the NIC
        TcpConnection[] connections =
        [
            Connect(Pod, 41000, Service, 3306, TcpOutcome.Established, 0) with { ClientInitialSequence = 7 },
            Connect(Pod, 41000, Backend, 3306, TcpOutcome.Established, 0.04) with { ClientInitialSequence = 7 },
            Connect(Pod, 41001, Service, 3306, TcpOutcome.Established, 5) with { ClientInitialSequence = 9 },
            Connect(Pod, 41001, Backend, 3306, TcpOutcome.Established, 5.04) with { ClientInitialSequence = 9 },
        ];
        var evidence = Build(connections);
        var inferring = new CaptureEvidenceBuilder();
        foreach (var connection in connections)
        {
            inferring.OnTcpConnection(connection);
        }

        // Then: two connections in the totals and in the line that infers the pod; each peer keeps its own view
        Assert.Equal((2L, 2L), (evidence.Tcp.Connections, evidence.Tcp.Established));
        Assert.Contains("opened 2 of 2 TCP connections", inferring.Build().Pod.Reason, StringComparison.Ordinal);
        Assert.Equal((2L, 2L), (evidence.Peer(Ip(Service))!.Connections, evidence.Peer(Ip(Backend))!.Connections));
    }

    [Fact]
    public void AnotherSynOrNoSynIsNoTranslation()
    {
        // Given: same client port to two servers, but another initial sequence (port reuse), and a mid-stream join
        var evidence = Build(
            Connect(Pod, 41000, Service, 3306, TcpOutcome.Established, 0) with { ClientInitialSequence = 7 },
            Connect(Pod, 41000, Backend, 3306, TcpOutcome.Established, 60_000) with { ClientInitialSequence = 8 },
            Connect(Pod, 41002, "198.18.2.30", 80, TcpOutcome.MidStream, 1));

        // Then
        Assert.Empty(evidence.NatTranslations);
    }

    [Fact]
    public void TheBackendOfADeclaredServiceIsNotUndeclared()
    {
        // Given: the Service is declared by its address, the backend is not
        var scenario = new AnalyzerCase("dnat", s =>
        {
            s.OnTcpConnection(Connect(Pod, 41000, Service, 3306, TcpOutcome.Established, 0) with { ClientInitialSequence = 7 });
            s.OnTcpConnection(Connect(Pod, 41000, Backend, 3306, TcpOutcome.Established, 0.04) with { ClientInitialSequence = 7 });
        }, [], $"dependencies:\n  - name: mysql\n    address: {Service}:3306\n");

        // When
        var findings = AnalyzerCase.Run(new DependencyUndeclaredAnalyzer(), scenario.Context());

        // Then
        Assert.Empty(findings);
    }

    [Fact]
    public void ConnectsWithoutReplyToAServiceSayWhereDnatSentThem()
    {
        // Given: SYNs to the Service address, translated to a backend that never answers
        var scenario = new AnalyzerCase("dnat", s =>
        {
            s.OnTcpConnection(Connect(Pod, 41000, Service, 3306, TcpOutcome.NoReply, 0, syns: 3) with { ClientInitialSequence = 7 });
            s.OnTcpConnection(Connect(Pod, 41000, Backend, 3306, TcpOutcome.NoReply, 0.04, syns: 3) with { ClientInitialSequence = 7 });
        }, []);

        // When
        var findings = AnalyzerCase.Run(new TcpConnectNoReplyAnalyzer(), scenario.Context());

        // Then
        Assert.Contains($"DNAT on the node sent these on to {Backend}:3306 (the Service's backend)", Assert.Single(findings, f => f.Subject == $"{Service}:3306").Evidence);
        Assert.Contains($"the pod addressed these as {Service}:3306 (a Service address: DNAT on the node sent them to {Backend}:3306)",
            Assert.Single(findings, f => f.Subject == $"{Backend}:3306").Evidence);
    }

    private static CaptureEvidence Build(params TcpConnection[] connections)
    {
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        foreach (var connection in connections)
        {
            builder.OnTcpConnection(connection);
        }

        return builder.Build();
    }
}
