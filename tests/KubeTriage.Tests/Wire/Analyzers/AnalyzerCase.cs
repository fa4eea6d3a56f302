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

    public CaptureContext Context(int slowQueryMs = 1000)
    {
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Synthetic.Ip(Pod)], SlowQueryMs = slowQueryMs });
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
