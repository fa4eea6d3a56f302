using KubeTriage.Bundle;

namespace KubeTriage.Cluster.Collectors;

/// <summary>
/// Reads the <c>cluster/</c> part of a bundle (and <c>nodes/NODE/resolv.conf</c>) into a <see cref="ClusterSnapshot"/>:
/// <c>cluster/resources.json</c>, <c>cluster/logs/NS/POD/CONTAINER[.previous].log</c> and
/// <c>cluster/pods/NS/POD/resolv.conf</c>. Missing pieces become problems and are marked unavailable.
/// </summary>
public static class BundleClusterCollector
{
    /// <summary>Only the last lines of a log are classified, like the live collector's tail.</summary>
    public const int MaxLogLines = ApiClusterCollector.LogTailLines;

    /// <param name="targetPods"><c>namespace/name</c> of the pods to check; empty means every pod with a collected resolv.conf.</param>
    public static ClusterSnapshot Read(BundleReader bundle, IReadOnlyList<string> targetPods)
    {
        var json = bundle.ReadText(BundleLayout.ClusterResources);
        var objects = json is null ? null : KubectlJsonReader.Read(json, BundleLayout.ClusterResources);
        var snapshot = new ClusterSnapshot { Source = bundle.Root, CollectedAt = CollectedAt(bundle, objects) };
        if (objects is null)
        {
            snapshot.Problems.Add($"evidence unavailable: {BundleLayout.ClusterResources} is missing from the bundle");
            foreach (var kind in Enum.GetValues<ClusterEvidenceKind>())
            {
                snapshot.Unavailable.Add(kind);
            }
        }
        else
        {
            snapshot.Pods.AddRange(objects.Pods);
            snapshot.Deployments.AddRange(objects.Deployments);
            snapshot.Services.AddRange(objects.Services);
            snapshot.Endpoints.AddRange(objects.Endpoints);
            snapshot.EndpointSlices.AddRange(objects.EndpointSlices);
            snapshot.ConfigMaps.AddRange(objects.ConfigMaps);
            snapshot.Events.AddRange(objects.CoreEvents.Select(ClusterEventConverter.From));
            snapshot.Events.AddRange(objects.EventsV1.Select(ClusterEventConverter.From));
            snapshot.Nodes.AddRange(objects.Nodes);
            snapshot.Problems.AddRange(objects.Problems);
        }

        ReadLogs(bundle, snapshot);
        ReadPodResolvConfs(bundle, snapshot);
        foreach (var node in bundle.Directories(BundleLayout.Nodes))
        {
            if (bundle.ReadText(BundleLayout.NodeResolvConf(node), 1024 * 1024) is { } text
                && IsText(text, BundleLayout.NodeResolvConf(node), snapshot))
            {
                snapshot.NodeResolvConfs[node] = text;
            }
        }

        snapshot.TargetPods.AddRange(targetPods.Count > 0 ? targetPods : snapshot.PodResolvConfs.Keys.Order(StringComparer.Ordinal));
        foreach (var target in targetPods)
        {
            if (json is not null && !snapshot.Pods.Any(p => ClusterEvidence.Key(p.Metadata) == target))
            {
                snapshot.Problems.Add($"not found: pod {target} is not in {BundleLayout.ClusterResources}");
            }
        }

        return snapshot;
    }

    private static void ReadLogs(BundleReader bundle, ClusterSnapshot snapshot)
    {
        if (!bundle.DirectoryExists(BundleLayout.ClusterLogs))
        {
            snapshot.Problems.Add($"evidence unavailable: no {BundleLayout.ClusterLogs}/ directory in the bundle (CoreDNS logs not collected)");
            snapshot.Unavailable.Add(ClusterEvidenceKind.Logs);
            return;
        }

        foreach (var ns in bundle.Directories(BundleLayout.ClusterLogs))
        {
            foreach (var pod in bundle.Directories($"{BundleLayout.ClusterLogs}/{ns}"))
            {
                foreach (var file in bundle.Files($"{BundleLayout.ClusterLogs}/{ns}/{pod}"))
                {
                    var previous = file.EndsWith(BundleLayout.PreviousLogSuffix, StringComparison.Ordinal);
                    if (!previous && !file.EndsWith(BundleLayout.LogSuffix, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var container = file[..^(previous ? BundleLayout.PreviousLogSuffix.Length : BundleLayout.LogSuffix.Length)];
                    var relative = BundleLayout.ContainerLog(ns, pod, container, previous);
                    var text = bundle.ReadText(relative) ?? string.Empty;
                    if (!IsText(text, relative, snapshot))
                    {
                        continue;
                    }

                    snapshot.Logs.Add(new PodLog(ns, pod, container, previous, Tail(text, MaxLogLines)));
                }
            }
        }
    }

    private static void ReadPodResolvConfs(BundleReader bundle, ClusterSnapshot snapshot)
    {
        foreach (var ns in bundle.Directories(BundleLayout.ClusterPods))
        {
            foreach (var pod in bundle.Directories($"{BundleLayout.ClusterPods}/{ns}"))
            {
                if (bundle.ReadText(BundleLayout.PodResolvConf(ns, pod), 1024 * 1024) is { } text
                    && IsText(text, BundleLayout.PodResolvConf(ns, pod), snapshot))
                {
                    snapshot.PodResolvConfs[$"{ns}/{pod}"] = text;
                }
            }
        }
    }

    private static bool IsText(string text, string relative, ClusterSnapshot snapshot)
    {
        if (!BundleReader.LooksBinary(text))
        {
            return true;
        }

        snapshot.Problems.Add($"{relative}: binary content, not text: skipped");
        return false;
    }

    /// <summary>When the bundle was taken, as far as its content tells: the newest event, else the resources file's write time.</summary>
    private static DateTimeOffset CollectedAt(BundleReader bundle, KubeObjects? objects)
    {
        var newest = objects?.CoreEvents.Select(ClusterEventConverter.From)
            .Concat(objects.EventsV1.Select(ClusterEventConverter.From))
            .Select(e => e.LastSeen ?? e.FirstSeen).Where(t => t is not null).Max();
        if (newest is { } t)
        {
            return t;
        }

        var path = bundle.FullPath(BundleLayout.ClusterResources);
        return File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : DateTimeOffset.UtcNow;
    }

    public static string Tail(string text, int maxLines)
    {
        var count = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] == '\n' && i != text.Length - 1 && ++count >= maxLines)
            {
                return text[(i + 1)..];
            }
        }

        return text;
    }
}
