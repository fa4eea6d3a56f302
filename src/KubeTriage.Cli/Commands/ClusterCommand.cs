using KubeTriage.Bundle;
using KubeTriage.Cluster;
using KubeTriage.Cluster.Collectors;
using KubeTriage.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KubeTriage.Cli.Commands;

/// <summary>
/// <c>kubetriage cluster</c>: cluster DNS (CoreDNS/kube-dns Deployment, pods, Service, endpoints, Corefile, logs)
/// and the target pod's DNS setup, from the live API or a bundle directory.
/// </summary>
public sealed class ClusterCommand : AsyncCommand<ClusterSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterSettings settings, CancellationToken cancellationToken)
    {
        var snapshot = settings.From is not null ? ReadBundle(settings) : await ReadLiveAsync(settings, cancellationToken);
        var result = ClusterCheck.Run(snapshot);
        var report = new Report
        {
            Command = "cluster",
            Findings = result.Findings,
            Cluster = result.Section,
        };
        report.Problems.AddRange(result.Problems);
        return ReportOutput.Write(report, settings.ParsedFormat, settings.Output, AnsiConsole.Console);
    }

    private static ClusterSnapshot ReadBundle(ClusterSettings settings)
    {
        var dir = settings.From!;
        try
        {
            var bundle = new BundleReader(dir);
            if (!bundle.Exists(BundleLayout.ClusterResources))
            {
                throw new UserErrorException($"--from {dir}: {BundleLayout.ClusterResources} not found (a bundle holds cluster/resources.json and cluster/logs/NS/POD/CONTAINER.log)");
            }

            return BundleClusterCollector.Read(bundle, settings.TargetPods("default"));
        }
        catch (BundleException ex)
        {
            throw new UserErrorException($"--from {dir}: {ex.Message}");
        }
    }

    private static async Task<ClusterSnapshot> ReadLiveAsync(ClusterSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var connection = KubernetesConnection.Load(settings.Kubeconfig, settings.Context, settings.ParsedTimeout);
            using var client = connection.CreateClient();
            var collector = new ApiClusterCollector(client, connection.Server, connection.Timeout);
            var targets = settings.TargetPods(string.IsNullOrEmpty(connection.Config.Namespace) ? "default" : connection.Config.Namespace);
            return await collector.CollectAsync(targets, cancellationToken);
        }
        catch (ClusterAccessException ex)
        {
            throw new UserErrorException(ex.Message);
        }
    }
}
