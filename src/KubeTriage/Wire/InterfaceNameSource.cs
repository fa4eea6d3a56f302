using KubeTriage.Bundle;
using KubeTriage.Node;

namespace KubeTriage.Wire;

/// <summary>
/// Names for the interface indexes of a Linux cooked v2 capture (<c>tcpdump -i any</c> records only each
/// packet's interface index), read from <c>ip -j link</c> or <c>ip -j addr</c> output of the node the
/// capture was taken on: given by path, or found in the bundle the captures belong to.
/// </summary>
public static class InterfaceNameSource
{
    private static readonly string[] NodeFiles = [NodeDirReader.LinkFile, NodeDirReader.AddrFile];

    /// <summary>
    /// Reads index → name from <c>ip -j link</c>/<c>ip -j addr</c> JSON. False with one line saying why when the file
    /// cannot be read or holds no interface with an index.
    /// </summary>
    public static bool TryRead(string path, out IReadOnlyDictionary<int, string> names, out string? problem) =>
        TryRead(path, out names, out _, out problem);

    /// <summary>
    /// Reads index → name, and the subnets the NICs hold addresses in (IPv4, global scope, shorter than /32; none
    /// for <c>ip -j link</c> output, which has no addresses). The file is read once, so a pipe works
    /// (<c>--ip-link &lt;(ip -j addr)</c>).
    /// </summary>
    public static bool TryRead(string path, out IReadOnlyDictionary<int, string> names, out IReadOnlyList<NodeNicSubnet> subnets, out string? problem)
    {
        names = new Dictionary<int, string>();
        subnets = [];
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read: {e.Message}";
            return false;
        }

        var parsed = IpInterfaceParser.Parse(json);
        if (!parsed.Readable)
        {
            problem = parsed.Problems.FirstOrDefault() ?? "not ip -j JSON";
            return false;
        }

        var byIndex = new Dictionary<int, string>();
        foreach (var item in parsed.Items.Where(i => i.Index > 0))
        {
            byIndex.TryAdd(item.Index, item.Name);
        }

        if (byIndex.Count == 0)
        {
            problem = "no interface with an ifindex (expected the output of ip -j link or ip -j addr)";
            return false;
        }

        names = byIndex;
        subnets = Subnets(parsed.Items);
        problem = null;
        return true;
    }

    /// <summary>The NIC subnets of an <c>ip -j addr</c> file; empty for a file without addresses or one that cannot be read.</summary>
    public static IReadOnlyList<NodeNicSubnet> ReadSubnets(string path)
    {
        try
        {
            return Subnets(IpInterfaceParser.Parse(File.ReadAllText(path)).Items);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// The node's <c>ip-addr.json</c> next to <paramref name="nodeFile"/> (a bundle's node folder), else the file itself.
    /// </summary>
    public static string AddressFileBeside(string nodeFile)
    {
        var beside = Path.Combine(Path.GetDirectoryName(nodeFile) ?? ".", NodeDirReader.AddrFile);
        return File.Exists(beside) ? beside : nodeFile;
    }

    private static IReadOnlyList<NodeNicSubnet> Subnets(IEnumerable<NetInterface> interfaces) =>
        interfaces
            .Where(i => !i.IsLoopback)
            .SelectMany(i => i.Subnets.Select(a => new NodeNicSubnet(i.Name, a.ToString(), a.Subnet)))
            .ToList();

    /// <summary>
    /// The node file that names the captures' interfaces when all of them sit in one bundle's
    /// <c>captures/</c> folder and the bundle holds exactly one node, with <c>ip-link.json</c> (or
    /// <c>ip-addr.json</c>); null otherwise (with several nodes it cannot be told which one captured).
    /// </summary>
    public static string? FindInBundle(IReadOnlyList<string> captureFiles)
    {
        var folders = captureFiles.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))).Distinct(StringComparer.Ordinal).ToList();
        if (folders is not [{ } folder] || !string.Equals(Path.GetFileName(folder), BundleLayout.Captures, StringComparison.Ordinal))
        {
            return null;
        }

        var nodes = Path.Combine(Path.GetDirectoryName(folder) ?? folder, BundleLayout.Nodes);
        if (!Directory.Exists(nodes))
        {
            return null;
        }

        return Directory.GetDirectories(nodes) is [{ } node]
            ? NodeFiles.Select(file => Path.Combine(node, file)).FirstOrDefault(File.Exists)
            : null;
    }
}
