namespace KubeTriage.Node;

/// <summary>
/// Reads this node (or a named namespace) live: <c>ip -j addr/link/rule/route show table all</c>, sysfs (only where
/// it shows this namespace's NICs, or a given tree), resolv.conf, then asks the kernel where each pod's traffic
/// goes (<c>ip -j route get DST from POD iif VETH</c>) and cross-checks the simulator against it.
/// </summary>
public sealed class LiveNodeCollector(IIpRunner ip, LiveNodeOptions options)
{
    private const string SysRoot = "/sys";

    public async Task<NodeEvidence> CollectAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var status = options.Netns is not null
            ? NetnsDetector.Named(options.Netns)
            : NetnsDetector.Detect(options.ProcRoot, () => IdentifyNamespace(cancellationToken));

        var addr = await RunJson(["-j", "-d", "addr", "show"], cancellationToken).ConfigureAwait(false);
        var link = await RunJson(["-j", "-d", "link", "show"], cancellationToken).ConfigureAwait(false);
        var rule = await RunJson(["-j", "rule", "show"], cancellationToken).ConfigureAwait(false);
        var route = await RunJson(["-j", "route", "show", "table", "all"], cancellationToken).ConfigureAwait(false);

        IReadOnlyList<PciFunction>? pci = null;
        IReadOnlyList<SysfsInterface>? sysfsNet = null;
        var sysfsRoot = options.SysfsRoot ?? SysRoot;
        if (options.SysfsRoot is not null || status.PciChecksApply)
        {
            var sysfs = new SysfsReader(sysfsRoot);
            pci = sysfs.ReadPciFunctions(problems);
            if (options.Netns is null || options.SysfsRoot is not null)
            {
                sysfsNet = sysfs.ReadNetInterfaces(problems);
            }
        }
        else
        {
            problems.Add(status.Detail);
            if (status.State == NetnsState.Outside)
            {
                // ip netns exec remounts /sys for the namespace: class/net is this namespace's and still useful.
                sysfsNet = new SysfsReader(sysfsRoot).ReadNetInterfaces(problems);
            }
        }

        var evidence = NodeEvidenceBuilder.Build(new NodeInputs
        {
            Node = options.NodeName ?? options.Netns ?? Environment.MachineName,
            Source = options.Netns is null ? "live" : $"ip -n {options.Netns}",
            Namespace = status,
            Addr = addr,
            Link = link,
            Rule = rule,
            Route = route,
            ResolvConf = ReadResolvConf(),
            SysfsRoot = pci is null ? null : sysfsRoot,
            PciFunctions = pci,
            SysfsInterfaces = sysfsNet,
            PodIps = options.PodIps,
            Destinations = options.Destinations,
            Problems = problems,
        });

        var kernel = new List<RouteLookup>();
        foreach (var lookup in evidence.Lookups.Where(l => l.Iif is not null))
        {
            var result = await ip.RunAsync(
                ["-j", "route", "get", lookup.Destination.ToString(), "from", lookup.Source.ToString(), "iif", lookup.Iif!],
                cancellationToken).ConfigureAwait(false);
            kernel.Add(result.Ok
                ? IpRouteGetParser.Parse(result.Stdout, lookup.Destination, lookup.Source, lookup.Iif)
                : IpRouteGetParser.Failed(lookup.Destination, lookup.Source, lookup.Iif, result.Complaint));
        }

        return NodeEvidenceBuilder.WithKernelLookups(evidence, kernel);
    }

    private async Task<NodeSourceText> RunJson(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var label = $"ip {string.Join(' ', arguments)}";
        var result = await ip.RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        return result.Ok
            ? new NodeSourceText(label, result.Stdout)
            : NodeSourceText.Missing(label, $"failed in {ip.Where}: {result.Complaint}");
    }

    private string? IdentifyNamespace(CancellationToken cancellationToken)
    {
        var result = ip.RunAsync(["netns", "identify"], cancellationToken).GetAwaiter().GetResult();
        return result.Ok ? result.Stdout : null;
    }

    private NodeSourceText ReadResolvConf()
    {
        // ip netns exec binds /etc/netns/NAME/resolv.conf over /etc/resolv.conf; read what such a process would.
        var path = options.Netns is not null && File.Exists(Path.Combine(options.EtcRoot, "netns", options.Netns, "resolv.conf"))
            ? Path.Combine(options.EtcRoot, "netns", options.Netns, "resolv.conf")
            : Path.Combine(options.EtcRoot, "resolv.conf");
        try
        {
            return new NodeSourceText(path, File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return NodeSourceText.Missing(path, ex is FileNotFoundException ? "missing" : ex.Message);
        }
    }
}
