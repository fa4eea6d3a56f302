using KubeTriage.Findings;
using KubeTriage.Names;

namespace KubeTriage.Tests.Names.Analyzers;

/// <summary>In-memory probe evidence for the names analyzer tables: resolvers of each role and probe shapes.</summary>
internal static class NameEvidence
{
    public static readonly DnsResolver ClusterDns = new("198.18.2.10", 53, ResolverRole.ClusterDns, "/etc/resolv.conf");
    public static readonly DnsResolver Upstream1 = new("198.18.2.11", 53, ResolverRole.Upstream, "Corefile forward");
    public static readonly DnsResolver Upstream2 = new("198.18.2.12", 53, ResolverRole.Upstream, "Corefile forward");
    public static readonly DnsResolver NodeResolver = new("198.18.0.2", 53, ResolverRole.Node, "nodes/node-1/resolv.conf");
    public static readonly DnsResolver GivenResolver = new("198.18.5.5", 5353, ResolverRole.Given, "--resolver");

    private static readonly DateTime Time = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    public const string ExpectYaml = """
        dependencies:
          - name: example-api.com
          - name: oss.example.com
            resolvesTo: [198.18.3.0/24]
        """;

    public static Expectations Expect => ExpectationsLoader.Parse(ExpectYaml, "expect.yaml");

    public static DnsProbe Answer(string name, DnsResolver resolver, params string[] addresses) =>
        new(Time, name, "A", resolver, DnsProbeOutcome.Answered, DnsRcodes.NoError, addresses, [], 0.0012, "udp", false, 1, null);

    public static DnsProbe AnswerAaaa(string name, DnsResolver resolver, params string[] addresses) =>
        Answer(name, resolver, addresses) with { Type = "AAAA" };

    public static DnsProbe Rcode(string name, DnsResolver resolver, string rcode, string type = "A") =>
        new(Time, name, type, resolver, DnsProbeOutcome.Answered, rcode, [], [], 0.0008, "udp", false, 1, null);

    public static DnsProbe Silent(string name, DnsResolver resolver, string type = "A") =>
        new(Time, name, type, resolver, DnsProbeOutcome.Timeout, null, [], [], null, "udp", false, 1, "no answer within the timeout");

    public static DnsProbeEvidence Evidence(Expectations expectations, params DnsProbe[] probes) =>
        new(new DnsProbeResults(
                2,
                0,
                probes.Select(p => p.Resolver).Distinct().ToList(),
                probes.Select(p => p.Name).Distinct().ToList(),
                probes,
                [],
                null),
            expectations);

    /// <summary><c>critical dns.unexpected-answer oss.example.com @ 198.18.2.10</c>, sorted: what a table row expects.</summary>
    public static IReadOnlyList<string> Summaries(IEnumerable<Finding> findings) =>
        findings.Select(f => $"{f.Severity.ToString().ToLowerInvariant()} {f.Id} {f.Subject}").Order(StringComparer.Ordinal).ToList();
}
