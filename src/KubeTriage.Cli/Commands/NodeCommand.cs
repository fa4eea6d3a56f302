using KubeTriage.Node;
using KubeTriage.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>
/// <c>kubetriage node</c>: reads this node (or a named namespace, or collected files) and reports missing NICs,
/// pod policy tables without a usable default route, and pod egress through the wrong NIC.
/// </summary>
public sealed class NodeCommand(IAnsiConsole console) : AsyncCommand<NodeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, NodeSettings settings, CancellationToken cancellationToken)
    {
        var format = settings.ParsedFormat;
        var nodes = settings.From is not null
            ? ReadCollected(settings)
            : [await CollectLive(settings, cancellationToken).ConfigureAwait(false)];

        var report = new Report { Command = "node", Node = new NodeSection(nodes) };
        report.Findings = NodeDiagnosis.Analyze(nodes, report.Problems);
        return ReportOutput.Write(report, format, settings.Output, console);
    }

    private static List<NodeEvidence> ReadCollected(NodeSettings settings)
    {
        try
        {
            return NodeDirReader.Read(settings.From!, settings.ParsedPodIps, settings.ParsedDestinations, settings.SysfsRoot)
                .Select(NodeEvidenceBuilder.Build)
                .ToList();
        }
        catch (NodeDirException ex)
        {
            throw new UserErrorException($"--from {ex.Message}");
        }
    }

    private static async Task<NodeEvidence> CollectLive(NodeSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Netns is not null && !NetnsExists(settings.Netns))
        {
            throw new UserErrorException($"--netns {settings.Netns}: no such network namespace (ip netns list shows the names)");
        }

        var collector = new LiveNodeCollector(
            new IpCommand(settings.Netns),
            new LiveNodeOptions
            {
                Netns = settings.Netns,
                SysfsRoot = settings.SysfsRoot,
                PodIps = settings.ParsedPodIps,
                Destinations = settings.ParsedDestinations,
            });
        try
        {
            return await collector.CollectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IpNotFoundException ex)
        {
            throw new UserErrorException($"{ex.Message}: install iproute2, or read collected files with --from DIR");
        }
    }

    /// <summary>Named namespaces are the files <c>ip netns add</c> bind-mounts under /run/netns (or /var/run/netns).</summary>
    private static bool NetnsExists(string name) =>
        File.Exists(Path.Combine("/run/netns", name)) || File.Exists(Path.Combine("/var/run/netns", name));
}
