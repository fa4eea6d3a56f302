using KubeTriage.Names;
using KubeTriage.Names.Analyzers;

namespace KubeTriage.Findings;

public static partial class AnalyzerCatalog
{
    /// <summary>The names room: judges what resolvers answered against what is expected.</summary>
    public static IReadOnlyList<IAnalyzer<DnsProbeEvidence>> Names { get; } =
    [
        new DnsUnexpectedAnswerAnalyzer(),
        new DnsResolverDisagreementAnalyzer(),
        new DnsNoResponseAnalyzer(),
        new DnsErrorRcodeAnalyzer(),
    ];
}
