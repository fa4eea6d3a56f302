using KubeTriage.Capture;
using KubeTriage.Findings;
using KubeTriage.Names;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Wire.Analyzers;

/// <summary>
/// One named analyzer case: sink calls that describe a capture (seen from <see cref="Pod"/>), optional
/// expectations, and the findings expected as "severity subject" lines, sorted.
/// </summary>
public sealed record AnalyzerCase(string Name, Action<ICaptureSink> Capture, string[] Expected, string? ExpectYaml = null)
{
    public const string Pod = "198.18.1.20";

    /// <summary>The capturing node's NIC subnets ("eth1 198.18.1.10/24"), as from its ip -j addr.</summary>
    public string[] NodeSubnets { get; init; } = [];

    public CaptureContext Context(int slowQueryMs = 1000)
    {
        var subnets = NodeSubnets.Select(s => s.Split(' ')).Select(p => new NodeNicSubnet(p[0], p[1], System.Net.IPNetwork.Parse(p[1]) is var n
            ? new System.Net.IPNetwork(n.BaseAddress, n.PrefixLength) : default)).ToList();
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Synthetic.Ip(Pod)], SlowQueryMs = slowQueryMs, NodeSubnets = subnets });
        Capture(builder);
        var expectations = ExpectYaml is null ? null : ExpectationsLoader.Parse(ExpectYaml, "expect.yaml");
        return new CaptureContext(builder.Build(), expectations);
    }

    public static IReadOnlyList<Finding> Run(IAnalyzer<CaptureContext> analyzer, CaptureContext context) =>
        AnalyzerRunner.Sort(analyzer.Analyze(context));

    public static string[] Lines(IEnumerable<Finding> findings) =>
        findings.Select(f => $"{TextLine(f.Severity)} {f.Subject}").Order(StringComparer.Ordinal).ToArray();

    public override string ToString() => Name;

    private static string TextLine(Severity severity) => severity.ToString().ToLowerInvariant();
}
