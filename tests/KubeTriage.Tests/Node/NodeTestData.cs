using System.Net;
using KubeTriage.Node;

namespace KubeTriage.Tests.Node;

/// <summary>
/// The node fixtures under <c>tests/testdata/node/</c>, read in place from the repository: the sysfs trees hold
/// symlinks (<c>driver</c>, <c>device</c>) that MSBuild's copy to the output folder would follow or drop.
/// </summary>
internal static class NodeTestData
{
    private static readonly Lazy<string> _root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "KubeTriage.slnx")))
            {
                return System.IO.Path.Combine(dir.FullName, "tests", "testdata", "node");
            }
        }

        throw new DirectoryNotFoundException($"no KubeTriage.slnx above {AppContext.BaseDirectory}");
    });

    public static string Root => _root.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(string scenario, string file) => File.ReadAllText(Path(scenario, file));

    /// <summary>The evidence of one recorded scenario dir, optionally with a sysfs fixture tree and given pod addresses.</summary>
    public static NodeEvidence Evidence(string scenario, string? sysfs = null, params string[] podIps)
    {
        var inputs = NodeDirReader.Read(
            Path(scenario),
            podIps.Select(IPAddress.Parse).ToList(),
            [NodeEvidenceBuilder.DefaultProbeDestination],
            sysfs is null ? null : Path(sysfs));
        return NodeEvidenceBuilder.Build(Assert.Single(inputs));
    }

    /// <summary>Evidence made only of a sysfs tree (no ip output): what the PCI check sees.</summary>
    public static NodeEvidence SysfsOnly(string sysfs)
    {
        var problems = new List<string>();
        var reader = new SysfsReader(Path(sysfs));
        return NodeEvidenceBuilder.Build(new NodeInputs
        {
            Node = sysfs,
            Source = Path(sysfs),
            Namespace = new NetnsStatus(NetnsState.Offline, "test"),
            SysfsRoot = reader.Root,
            PciFunctions = reader.ReadPciFunctions(problems),
            SysfsInterfaces = reader.ReadNetInterfaces(problems),
            Problems = problems,
        });
    }
}
