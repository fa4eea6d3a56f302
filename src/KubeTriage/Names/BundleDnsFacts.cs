using System.Net;
using System.Text.Json;

namespace KubeTriage.Names;

/// <summary>
/// The DNS facts of a bundle directory (contract.md layout) that resolver discovery needs: the kube-dns
/// Service's cluster IPs and the CoreDNS Corefile from <c>cluster/resources.json</c>, and each node's
/// resolv.conf from <c>nodes/NODE/resolv.conf</c>. What cannot be read goes to <see cref="Problems"/>.
/// </summary>
public sealed record BundleDnsFacts(
    IReadOnlyList<IPAddress> ClusterDnsIps,
    string? Corefile,
    IReadOnlyDictionary<string, ResolvConf> NodeResolvConfs,
    IReadOnlyList<string> Problems)
{
    public const string ResourcesPath = "cluster/resources.json";

    public static BundleDnsFacts Read(string bundleDir)
    {
        var problems = new List<string>();
        var (ips, corefile) = ReadResources(Path.Combine(bundleDir, ResourcesPath), problems);
        var nodes = new SortedDictionary<string, ResolvConf>(StringComparer.Ordinal);
        var nodesDir = Path.Combine(bundleDir, "nodes");
        if (Directory.Exists(nodesDir))
        {
            foreach (var nodeDir in Directory.GetDirectories(nodesDir).Order(StringComparer.Ordinal))
            {
                var file = Path.Combine(nodeDir, "resolv.conf");
                if (!File.Exists(file))
                {
                    continue;
                }

                try
                {
                    var parsed = ResolvConf.Parse(File.ReadAllText(file));
                    var relative = $"nodes/{Path.GetFileName(nodeDir)}/resolv.conf";
                    problems.AddRange(parsed.Problems.Select(p => $"{relative}: {p}"));
                    nodes[Path.GetFileName(nodeDir)] = parsed;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problems.Add($"{file}: cannot read: {ex.Message}");
                }
            }
        }

        return new BundleDnsFacts(ips, corefile, nodes, problems);
    }

    /// <summary>Picks the kube-dns Service and the coredns ConfigMap out of a <c>kubectl get ... -o json</c> List.</summary>
    public static (IReadOnlyList<IPAddress> ClusterDnsIps, string? Corefile) ParseResources(string json, string source, ICollection<string> problems)
    {
        var ips = new List<IPAddress>();
        string? corefile = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            problems.Add($"{source}: not valid JSON (line {(ex.LineNumber ?? 0) + 1}): {ex.Message.Split('.')[0]}");
            return (ips, null);
        }

        using (document)
        {
            var root = document.RootElement;
            var items = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().ToList()
                : root.ValueKind == JsonValueKind.Object ? [root] : [];
            foreach (var item in items)
            {
                var kind = Text(item, "kind");
                var ns = Text(item, "metadata", "namespace");
                var name = Text(item, "metadata", "name");
                if (kind == "Service" && ns == "kube-system" && (name == "kube-dns" || Text(item, "metadata", "labels", "k8s-app") == "kube-dns"))
                {
                    foreach (var text in ClusterIps(item))
                    {
                        if (IPAddress.TryParse(text, out var ip) && !ips.Contains(ip))
                        {
                            ips.Add(ip);
                        }
                    }
                }
                else if (kind == "ConfigMap" && ns == "kube-system" && name == "coredns")
                {
                    corefile = Text(item, "data", "Corefile") ?? corefile;
                }
            }
        }

        if (ips.Count == 0)
        {
            problems.Add($"{source}: no Service kube-system/kube-dns with a cluster IP");
        }

        return (ips, corefile);
    }

    private static (IReadOnlyList<IPAddress>, string?) ReadResources(string path, ICollection<string> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add($"{path}: not found; cluster DNS and its upstreams are not discovered from the bundle");
            return ([], null);
        }

        try
        {
            return ParseResources(File.ReadAllText(path), path, problems);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path}: cannot read: {ex.Message}");
            return ([], null);
        }
    }

    private static IEnumerable<string> ClusterIps(JsonElement service)
    {
        if (!service.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (spec.TryGetProperty("clusterIPs", out var many) && many.ValueKind == JsonValueKind.Array)
        {
            foreach (var ip in many.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String))
            {
                yield return ip.GetString()!;
            }
        }

        if (Text(service, "spec", "clusterIP") is { } one)
        {
            yield return one;
        }
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var step in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.String ? current.GetString() : null;
    }
}
