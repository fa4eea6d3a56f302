using System.Net;

namespace KubeTriage.Node;

/// <summary>
/// Reads collected node evidence: a bundle root (every node under <c>nodes/</c>) or one node directory holding
/// <c>ip-addr.json ip-link.json ip-rule.json ip-route.json resolv.conf sysfs/</c>. A missing or garbled file is a
/// problem line; whatever else is there is still used. Nothing here asks a kernel: egress comes from the simulator.
/// </summary>
public static class NodeDirReader
{
    public const string AddrFile = "ip-addr.json";
    public const string LinkFile = "ip-link.json";
    public const string RuleFile = "ip-rule.json";
    public const string RouteFile = "ip-route.json";
    public const string ResolvConfFile = "resolv.conf";
    public const string SysfsDir = "sysfs";

    /// <summary>Files larger than this are not ip output; reading them would only waste memory.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    private static readonly string[] NodeFiles = [AddrFile, LinkFile, RuleFile, RouteFile, ResolvConfFile];

    /// <summary>One <see cref="NodeInputs"/> per node found; throws <see cref="NodeDirException"/> when there is none.</summary>
    public static IReadOnlyList<NodeInputs> Read(string dir, IReadOnlyList<IPAddress> podIps, IReadOnlyList<IPAddress> destinations, string? sysfsRoot = null)
    {
        if (!Directory.Exists(dir))
        {
            throw new NodeDirException($"{dir}: no such directory");
        }

        var nodesDir = Path.Combine(dir, "nodes");
        if (Directory.Exists(nodesDir))
        {
            var nodes = Directory.GetDirectories(nodesDir).Order(StringComparer.Ordinal).ToList();
            if (nodes.Count == 0)
            {
                throw new NodeDirException($"{nodesDir}: the bundle holds no node directories");
            }

            return nodes.Select(n => ReadNode(n, $"nodes/{Path.GetFileName(n)}/", podIps, destinations, sysfsRoot)).ToList();
        }

        if (NodeFiles.Any(f => File.Exists(Path.Combine(dir, f))) || Directory.Exists(Path.Combine(dir, SysfsDir)))
        {
            return [ReadNode(dir, string.Empty, podIps, destinations, sysfsRoot)];
        }

        throw new NodeDirException(
            $"{dir}: neither a bundle (no nodes/ directory) nor a node directory (no {string.Join(", ", NodeFiles)}, no sysfs/)");
    }

    private static NodeInputs ReadNode(string nodeDir, string labelPrefix, IReadOnlyList<IPAddress> podIps, IReadOnlyList<IPAddress> destinations, string? sysfsRoot)
    {
        var problems = new List<string>();
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(nodeDir)));
        var sysfs = sysfsRoot ?? Path.Combine(nodeDir, SysfsDir);
        IReadOnlyList<PciFunction>? pci = null;
        IReadOnlyList<SysfsInterface>? net = null;
        if (Directory.Exists(sysfs))
        {
            var reader = new SysfsReader(sysfs);
            pci = reader.ReadPciFunctions(problems);
            net = reader.ReadNetInterfaces(problems);
        }
        else
        {
            problems.Add($"{labelPrefix}{SysfsDir}/: not collected: PCI checks skipped");
        }

        return new NodeInputs
        {
            Node = name,
            Source = nodeDir,
            Namespace = new NetnsStatus(NetnsState.Offline, $"read from {nodeDir}"),
            Addr = ReadFile(nodeDir, labelPrefix, AddrFile),
            Link = ReadFile(nodeDir, labelPrefix, LinkFile),
            Rule = ReadFile(nodeDir, labelPrefix, RuleFile),
            Route = ReadFile(nodeDir, labelPrefix, RouteFile),
            ResolvConf = ReadFile(nodeDir, labelPrefix, ResolvConfFile),
            SysfsRoot = pci is null ? null : sysfs,
            PciFunctions = pci,
            SysfsInterfaces = net,
            PodIps = podIps,
            Destinations = destinations,
            Problems = problems,
        };
    }

    private static NodeSourceText ReadFile(string dir, string labelPrefix, string file)
    {
        var label = labelPrefix + file;
        var path = Path.Combine(dir, file);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return NodeSourceText.Missing(label, "missing");
            }

            if (info.Length > MaxFileBytes)
            {
                return NodeSourceText.Missing(label, $"{info.Length} bytes: too large for ip output, not read");
            }

            return new NodeSourceText(label, File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return NodeSourceText.Missing(label, ex.Message);
        }
    }
}
