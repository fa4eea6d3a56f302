using System.Globalization;

namespace KubeTriage.Names.Analyzers;

/// <summary>The wording shared by the names analyzers' evidence lines, so every finding reads the same.</summary>
internal static class DnsEvidenceText
{
    public static string Ms(double? seconds) =>
        seconds is { } s ? $"{(s * 1000).ToString("0.0", CultureInfo.InvariantCulture)} ms" : "no answer";

    public static string Timeout(double seconds) =>
        seconds >= 1 ? $"{seconds.ToString("0.###", CultureInfo.InvariantCulture)}s" : $"{(seconds * 1000).ToString("0", CultureInfo.InvariantCulture)}ms";

    /// <summary><c>198.18.2.11 (upstream) answered oss.example.com A: 198.19.249.132 (NOERROR, 1.2 ms, udp)</c>.</summary>
    public static string Answer(DnsProbe probe)
    {
        var answers = probe.Answers.Count == 0 ? "no address" : string.Join(", ", probe.Answers);
        var chain = probe.CnameChain.Count > 1 ? $" via CNAME {string.Join(" -> ", probe.CnameChain)}" : string.Empty;
        return $"{probe.Resolver.Label} answered {probe.Name} {probe.Type}: {answers}{chain} ({probe.Rcode}, {Ms(probe.LatencySeconds)}, {probe.Transport})";
    }

    /// <summary>The re-check command for one name at one resolver.</summary>
    public static string Recheck(string name, DnsResolver resolver) => $"kubetriage dns {name} --resolver {resolver.Endpoint}";

    /// <summary>Where the resolver was found, as an evidence line.</summary>
    public static string FoundIn(DnsResolver resolver) => $"{resolver.Endpoint} is {Article(resolver.Role)} (from {resolver.Source})";

    private static string Article(ResolverRole role) => role switch
    {
        ResolverRole.ClusterDns => "the pod's cluster DNS",
        ResolverRole.Upstream => "an upstream of cluster DNS",
        ResolverRole.Node => "a node's resolver",
        _ => "a resolver named on the command line",
    };
}
