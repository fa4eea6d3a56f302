using System.Net;
using KubeTriage.Names;

namespace KubeTriage.Node;

/// <summary>
/// Turns raw node inputs into <see cref="NodeEvidence"/>: parses the ip -j texts, merges addr and link views, finds
/// the pods, simulates each pod's egress, and keeps every unreadable part as a problem line. Live collection then
/// replaces simulated lookups with the kernel's answers (<see cref="WithKernelLookups"/>).
/// </summary>
public static class NodeEvidenceBuilder
{
    /// <summary>192.0.2.1 (TEST-NET-1, RFC 5737): meant never to be routed, so only a default route matches it. Looked up, never sent to.</summary>
    public static IPAddress DefaultProbeDestination { get; } = IPAddress.Parse("192.0.2.1");

    /// <summary>The documentation ranges of RFC 5737, tried in order for a probe only a default route matches.</summary>
    public static IReadOnlyList<IPAddress> ProbeCandidates { get; } =
        [DefaultProbeDestination, IPAddress.Parse("198.51.100.1"), IPAddress.Parse("203.0.113.1")];

    /// <summary>
    /// The first documentation address no specific route on this node covers (a lab or a test network may use
    /// one of them), so that its lookup shows where traffic to the rest of the world leaves.
    /// </summary>
    public static IPAddress ChooseProbe(IReadOnlyList<Route> routes) =>
        ProbeCandidates.FirstOrDefault(candidate => !routes.Any(r =>
            r.Table != "local" && !r.IsDefault && IpPrefix.Holds(r.Destination, candidate)))
        ?? DefaultProbeDestination;

    public static NodeEvidence Build(NodeInputs inputs)
    {
        var problems = new List<string>(inputs.Problems);

        var addr = Parse(inputs.Addr, IpInterfaceParser.Parse, problems);
        var link = Parse(inputs.Link, IpInterfaceParser.Parse, problems);
        var rules = Parse(inputs.Rule, IpRuleParser.Parse, problems);
        var routes = Parse(inputs.Route, json => IpRouteParser.Parse(json), problems);
        var interfaces = IpInterfaceParser.Merge(addr?.Items ?? [], link?.Items ?? []);

        var ruleList = rules?.Items ?? [];
        var routeList = routes?.Items ?? [];
        var pods = PodAddressFinder.Find(interfaces, ruleList, routeList, inputs.PodIps);
        IReadOnlyList<IPAddress> destinations = inputs.Destinations.Count > 0 ? inputs.Destinations : [ChooseProbe(routeList)];
        var lookups = new List<RouteLookup>();
        foreach (var pod in pods)
        {
            if (pod.HostInterface is null && pod.Source == "--pod-ip")
            {
                problems.Add($"pod {pod.Ip}: no host route or bridge for it on this node; its egress is looked up as if it arrived from an unknown interface");
            }

            foreach (var destination in destinations.Where(d => d.AddressFamily == pod.Ip.AddressFamily))
            {
                lookups.Add(PolicyRoutingSimulator.Lookup(ruleList, routeList, new RouteQuery(destination, pod.Ip, pod.HostInterface)));
            }
        }

        return new NodeEvidence
        {
            Node = inputs.Node,
            Source = inputs.Source,
            Namespace = inputs.Namespace,
            Interfaces = interfaces,
            InterfacesKnown = (addr?.Readable ?? false) || (link?.Readable ?? false),
            Rules = ruleList,
            RulesKnown = rules?.Readable ?? false,
            Routes = routeList,
            RoutesKnown = routes?.Readable ?? false,
            PciChecked = inputs.PciFunctions is not null,
            SysfsRoot = inputs.SysfsRoot,
            PciFunctions = inputs.PciFunctions?.Where(f => f.IsNetwork).ToList() ?? [],
            SysfsInterfaces = inputs.SysfsInterfaces ?? [],
            Pods = pods,
            Lookups = lookups,
            ResolvConf = ReadResolvConf(inputs.ResolvConf, problems),
            Problems = problems,
        };
    }

    /// <summary>
    /// Puts the kernel's answers in place of the simulated ones for the same query, noting whether the simulator
    /// agreed (a disagreement is also a problem line: the simulator's reading of the rules is then suspect).
    /// </summary>
    public static NodeEvidence WithKernelLookups(NodeEvidence evidence, IReadOnlyList<RouteLookup> kernel)
    {
        var problems = evidence.Problems.ToList();
        var merged = new List<RouteLookup>();
        foreach (var simulated in evidence.Lookups)
        {
            var answer = kernel.FirstOrDefault(k =>
                k.Destination.Equals(simulated.Destination) && k.Source.Equals(simulated.Source) && k.Iif == simulated.Iif);
            if (answer is null)
            {
                merged.Add(simulated);
                continue;
            }

            var agrees = answer.Dev == simulated.Dev && answer.Type == simulated.Type
                && (answer.Table ?? "main") == (simulated.Table ?? "main") && Equals(answer.Gateway, simulated.Gateway);
            var crossCheck = agrees
                ? "the simulator over the collected rules and routes agrees"
                : $"the simulator over the collected rules and routes says {simulated.ResultText}";
            if (!agrees)
            {
                problems.Add($"{answer.Command}: kernel says {answer.ResultText}, simulator says {simulated.ResultText} (kernel answer used)");
            }

            merged.Add(answer with { Via = simulated.Via, CrossCheck = crossCheck });
        }

        return evidence with { Lookups = merged, Problems = problems };
    }

    private static IpParseResult<T>? Parse<T>(NodeSourceText? source, Func<string?, IpParseResult<T>> parse, List<string> problems)
    {
        if (source is null)
        {
            return null;
        }

        if (source.Error is not null)
        {
            problems.Add($"{source.Label}: {source.Error}");
            return null;
        }

        var result = parse(source.Text);
        problems.AddRange(result.Problems.Select(p => $"{source.Label}: {p}"));
        return result;
    }

    private static NodeResolvConf? ReadResolvConf(NodeSourceText? source, List<string> problems)
    {
        if (source is null)
        {
            return null;
        }

        if (source.Error is not null || source.Text is null)
        {
            problems.Add($"{source.Label}: {source.Error ?? "unreadable"}");
            return null;
        }

        var parsed = ResolvConf.Parse(source.Text);
        problems.AddRange(parsed.Problems.Select(p => $"{source.Label}: {p}"));
        return new NodeResolvConf(source.Label, parsed.Nameservers.Select(n => n.ToString()).ToList(), parsed.Search, parsed.Ndots, parsed.Options);
    }
}
