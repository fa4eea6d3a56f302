using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>dns.error-rcode</c>: DNS answers with an error code. SERVFAIL, REFUSED and other failures are a
/// warning per resolver and code. NXDOMAIN is information, aggregated in one finding, unless the name is an
/// expected dependency (then a warning per name). NXDOMAINs of search-path expansions (<c>ndots:5</c>
/// tries <c>name.ns.svc.cluster.local</c> and friends before <c>name</c>) are normal; they are summed
/// up in one information finding and never raise the severity.
/// </summary>
public sealed class DnsErrorRcodeAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxNames = 5;

    public string Id => FindingIds.DnsErrorRcode;

    public string Title => "DNS answers with an error code";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var pod = evidence.DnsGroups.Where(g => evidence.IsPod(g.Client)).ToList();
        var queried = pod.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var resolved = pod.Where(g => g.Rcode == DnsNames.RcodeNoError).Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var findings = new List<Finding>();

        foreach (var failure in pod.Where(g => g.Rcode is { } r && r != DnsNames.RcodeNoError && r != DnsNames.RcodeNxDomain)
                     .GroupBy(g => (g.Server, Rcode: g.Rcode!.Value)))
        {
            findings.Add(Failure(failure.Key.Server, failure.Key.Rcode, failure.ToList(), resolved));
        }

        var nxdomain = pod.Where(g => g.Rcode == DnsNames.RcodeNxDomain).ToList();
        var expansions = nxdomain.Where(g => SearchPath.IsExpansion(g.Name, queried)).ToList();
        var plain = nxdomain.Except(expansions).ToList();
        foreach (var expected in plain.Where(g => context.Expectations?.ForName(g.Name) is not null).GroupBy(g => g.Name))
        {
            findings.Add(ExpectedNxDomain(expected.Key, expected.ToList()));
        }

        var unexpected = plain.Where(g => context.Expectations?.ForName(g.Name) is null).ToList();
        if (unexpected.Count > 0)
        {
            findings.Add(NxDomainSummary(unexpected));
        }

        if (expansions.Count > 0)
        {
            findings.Add(SearchPathSummary(expansions, resolved));
        }

        return findings;
    }

    private Finding Failure(Capture.Primitives.NetAddress server, int rcode, List<DnsQueryGroup> groups, HashSet<string> resolved)
    {
        var rcodeName = DnsNames.RcodeName(rcode);
        var count = groups.Sum(g => g.Count);
        var names = groups.GroupBy(g => (g.Name, g.Type)).OrderByDescending(n => n.Sum(g => g.Count)).ThenBy(n => n.Key.Name, StringComparer.Ordinal).ToList();
        var lines = new List<string> { $"{server} answered {rcodeName} to {WireText.Count(count, "query", "queries")} for {WireText.Count(names.Count, "name")}" };
        foreach (var n in names.Take(MaxNames))
        {
            var first = n.MinBy(g => g.FirstTimeNs)!;
            lines.Add($"{n.Key.Name} {DnsNames.TypeName(n.Key.Type)}: {WireText.Count(n.Sum(g => g.Count), "time")}, first asked at {WireText.Clock(first.FirstTimeNs)}"
                + $" (query {WireText.Frame(first.FirstFrame, first.File)})"
                + (resolved.Contains(n.Key.Name) ? "; resolved elsewhere or later" : "; never resolved in the capture"));
        }

        if (names.Count > MaxNames)
        {
            lines.Add($"and {names.Count - MaxNames} more names");
        }

        var name = names[0].Key.Name;
        var fix = rcode == DnsNames.RcodeRefused
            ? $"{server} refuses to answer the pod: check its ACLs (allow-query/recursion) or whether the pod asks the right server."
            : $"{server} could not get an answer: when it forwards (cluster DNS), check its upstreams and their reachability; for an authoritative server, the zone.";
        return new Finding(
            Id,
            Severity.Warning,
            $"{server} answered {rcodeName} ({WireText.Count(count, "query", "queries")})",
            $"DNS server {server} {rcodeName}",
            lines,
            $"{fix}\n  kubetriage dns {name} --resolver {server}\n  dig @{server} {name} +norecurse\n  kubetriage cluster   # CoreDNS logs show upstream timeouts behind SERVFAIL");
    }

    private Finding ExpectedNxDomain(string name, List<DnsQueryGroup> groups)
    {
        var first = groups.MinBy(g => g.FirstTimeNs)!;
        var servers = groups.Select(g => g.Server).Distinct().OrderBy(s => s, AddressOrder.Instance).ToList();
        return new Finding(
            Id,
            Severity.Warning,
            $"{name} does not exist (NXDOMAIN), yet it is an expected dependency",
            name,
            [
                $"{string.Join(", ", servers)} answered NXDOMAIN to {WireText.Count(groups.Sum(g => g.Count), "query", "queries")} for {name}",
                $"first asked at {WireText.Clock(first.FirstTimeNs)} (query {WireText.Frame(first.FirstFrame, first.File)})",
            ],
            $"The expectations file lists {name}: the record is missing on the resolver that serves it.\n  kubetriage dns {name} --resolver {servers[0]}\n  dig @{servers[0]} {name}");
    }

    private Finding NxDomainSummary(List<DnsQueryGroup> groups)
    {
        var names = groups.GroupBy(g => g.Name).OrderByDescending(n => n.Sum(g => g.Count)).ThenBy(n => n.Key, StringComparer.Ordinal).ToList();
        var lines = new List<string>();
        foreach (var n in names.Take(MaxNames))
        {
            var first = n.MinBy(g => g.FirstTimeNs)!;
            lines.Add($"{n.Key}: {WireText.Count(n.Sum(g => g.Count), "answer")} from {string.Join(", ", n.Select(g => g.Server).Distinct())}, first query {WireText.Frame(first.FirstFrame, first.File)}");
        }

        if (names.Count > MaxNames)
        {
            lines.Add($"and {names.Count - MaxNames} more names");
        }

        return new Finding(
            Id,
            Severity.Info,
            $"{WireText.Count(names.Count, "name")} did not exist (NXDOMAIN)",
            "NXDOMAIN",
            lines,
            "Usually harmless. If the app needs one of these names, list it in an expectations file (--expect) so a missing record is raised as a warning.");
    }

    private Finding SearchPathSummary(List<DnsQueryGroup> groups, HashSet<string> resolved)
    {
        var count = groups.Sum(g => g.Count);
        var example = groups.OrderBy(g => g.FirstTimeNs).First();
        var bases = groups.Select(g => g.Name).Distinct().Count();
        return new Finding(
            Id,
            Severity.Info,
            $"{WireText.Count(count, "NXDOMAIN answer")} for search-path expansions (normal with ndots:5)",
            "search-path NXDOMAIN",
            [
                $"{WireText.Count(bases, "expanded name")}, e.g. {example.Name} (first query {WireText.Frame(example.FirstFrame, example.File)})",
                $"{WireText.Count(resolved.Count, "name")} resolved in the end",
            ],
            "Normal: the pod's resolver tries each search domain before the name itself. To save the round trips, "
            + "use fully qualified names with a trailing dot (example.com.) or lower ndots in the pod's dnsConfig.");
    }
}
