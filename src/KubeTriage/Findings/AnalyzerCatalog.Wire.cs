using KubeTriage.Wire;
using KubeTriage.Wire.Analyzers;

namespace KubeTriage.Findings;

public static partial class AnalyzerCatalog
{
    /// <summary>The wire room's analyzers that need nothing but a capture.</summary>
    public static IReadOnlyList<IAnalyzer<CaptureContext>> WireCore { get; } =
    [
        new TcpConnectNoReplyAnalyzer(),
        new TcpConnectRefusedAnalyzer(),
        new TcpConnectRetriedAnalyzer(),
        new TcpConnectionChurnAnalyzer(),
        new TcpRetransmissionsAnalyzer(),
        new NetPathMtuAnalyzer(),
        new NetArpUnansweredAnalyzer(),
        new TcpZeroWindowAnalyzer(),
        new TcpResetByPeerAnalyzer(),
        new TcpRequestTimeoutAnalyzer(),
        new DnsNoResponseAnalyzer(),
        new DnsSlowResponseAnalyzer(),
        new DnsErrorRcodeAnalyzer(),
        new DnsTruncatedAnalyzer(),
        new MySqlSlowQueryAnalyzer(),
        new MySqlErrorAnalyzer(),
        new MySqlSlowConnectAnalyzer(),
        new HttpErrorStatusAnalyzer(),
        new GrpcErrorStatusAnalyzer(),
        new TlsHandshakeFailureAnalyzer(),
        new DependencySlowAnalyzer(),
        new PodEgressWrongInterfaceAnalyzer(),
    ];

    /// <summary>The wire room's analyzers that hold the capture against an expectations file (<c>--expect</c>).</summary>
    public static IReadOnlyList<IAnalyzer<CaptureContext>> WireExpect { get; } =
    [
        new DnsUnexpectedAnswerAnalyzer(),
        new DependencyUndeclaredAnalyzer(),
    ];

    /// <summary>The wire analyzers to run: the core set, plus the expectation set when expectations are given.</summary>
    public static IEnumerable<IAnalyzer<CaptureContext>> Wire(bool withExpectations) =>
        withExpectations ? WireCore.Concat(WireExpect) : WireCore;
}
