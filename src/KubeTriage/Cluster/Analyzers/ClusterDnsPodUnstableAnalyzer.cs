using KubeTriage.Findings;

namespace KubeTriage.Cluster.Analyzers;

/// <summary>
/// A cluster-DNS pod that restarts, sits in CrashLoopBackOff, or fails its probes: with its last termination
/// (reason, exit code, time) and the kubelet's BackOff/Unhealthy events.
/// </summary>
public sealed class ClusterDnsPodUnstableAnalyzer : IAnalyzer<ClusterEvidence>
{
    private static readonly HashSet<string> UnstableReasons = new(StringComparer.Ordinal) { "BackOff", "Unhealthy", "Killing", "OOMKilling", "Failed" };

    public string Id => FindingIds.ClusterDnsPodUnstable;

    public string Title => "A cluster-DNS pod restarts, crash-loops or fails its probes";

    public IEnumerable<Finding> Analyze(ClusterEvidence evidence)
    {
        foreach (var pod in evidence.DnsPods)
        {
            var restarts = PodFacts.Restarts(pod);
            var waiting = PodFacts.Waiting(pod);
            var crashLoop = waiting?.Reason == "CrashLoopBackOff";
            var events = evidence.EventsFor(pod).Where(e => e.IsWarning && UnstableReasons.Contains(e.Reason)).ToList();
            if (restarts == 0 && !crashLoop && events.Count == 0)
            {
                continue;
            }

            var node = PodFacts.NodeLabel(pod);
            var lines = new List<string>
            {
                $"pod {PodFacts.Key(pod)} on node {node}: phase {pod.Status?.Phase ?? "unknown"}, ready={PodFacts.IsReady(pod).ToString().ToLowerInvariant()}, restarts={restarts}",
            };
            if (waiting is { } w)
            {
                lines.Add($"container {w.Container} waiting: {w.Reason}{(w.Message is null ? string.Empty : $" ({w.Message})")}");
            }

            lines.AddRange(PodFacts.LastTerminations(pod));
            lines.AddRange(events.Select(e => $"event {e.Describe()}"));

            var ready = PodFacts.IsReady(pod);
            var severity = crashLoop || (!ready && restarts > 0) ? Severity.Critical : Severity.Warning;
            var name = PodFacts.Name(pod);
            yield return new Finding(
                Id,
                severity,
                crashLoop ? $"CoreDNS pod {name} is in CrashLoopBackOff ({restarts} restarts)" : $"CoreDNS pod {name} is unstable ({restarts} restarts, {events.Count} warning event kinds)",
                PodFacts.Key(pod),
                lines,
                $"kubectl -n {ClusterEvidence.DnsNamespace} logs {name} --previous; kubectl -n {ClusterEvidence.DnsNamespace} describe pod {name}"
                + PodFacts.NodeCheckHint(pod.Spec?.NodeName, PodFacts.PodIp(pod)))
            {
                Node = pod.Spec?.NodeName,
            };
        }
    }
}
