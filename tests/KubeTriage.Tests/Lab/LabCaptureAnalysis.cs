using KubeTriage.Capture;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Findings;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Lab;

/// <summary>What kubetriage makes of a capture a lab test recorded: the evidence and the wire findings, the pod given by address.</summary>
public static class LabCaptureAnalysis
{
    /// <summary>Reads <paramref name="pcap"/> with every dissector (it must read to the end), builds the evidence and runs the wire analyzers.</summary>
    public static (CaptureEvidence Evidence, IReadOnlyList<Finding> Findings) Analyze(string pcap, string podIp)
    {
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [NetAddress.Parse(podIp)] });
        Assert.True(CaptureEngine.Run([pcap], builder, new ProtocolRegistry(builder)).Succeeded);
        var evidence = builder.Build();
        return (evidence, AnalyzerRunner.Run(AnalyzerCatalog.Wire(false), new CaptureContext(evidence), []));
    }
}
