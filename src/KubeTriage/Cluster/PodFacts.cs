using System.Globalization;
using k8s.Models;

namespace KubeTriage.Cluster;

/// <summary>Plain readings of a pod's status (missing fields read as 0/false/null, as the API omits them).</summary>
public static class PodFacts
{
    public static string Name(V1Pod pod) => pod.Metadata?.Name ?? "(unnamed)";

    public static string Key(V1Pod pod) => $"{pod.Metadata?.NamespaceProperty ?? ClusterEvidence.DnsNamespace}/{Name(pod)}";

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static int Restarts(V1Pod pod) => pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0;

    public static string? PodIp(V1Pod pod) => pod.Status?.PodIP;

    public static string NodeLabel(V1Pod pod) => pod.Spec?.NodeName ?? "(not scheduled)";

    /// <summary>The first container waiting reason (<c>CrashLoopBackOff</c>, <c>ContainerCreating</c>), with its message.</summary>
    public static (string Container, string Reason, string? Message)? Waiting(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.Where(c => c.State?.Waiting?.Reason is not null)
            .Select(c => ((string, string, string?)?)(c.Name, c.State.Waiting.Reason, c.State.Waiting.Message))
            .FirstOrDefault();

    public static bool IsCrashLooping(V1Pod pod) => Waiting(pod)?.Reason == "CrashLoopBackOff";

    /// <summary>One line per container's last termination: reason, exit code, when, and what the code usually means.</summary>
    public static IEnumerable<string> LastTerminations(V1Pod pod)
    {
        foreach (var status in pod.Status?.ContainerStatuses ?? [])
        {
            var t = status.LastState?.Terminated;
            if (t is null)
            {
                continue;
            }

            var when = t.FinishedAt is { } f ? $" at {Iso(f)}" : string.Empty;
            var started = t.StartedAt is { } s ? $" (started {Iso(s)})" : string.Empty;
            yield return $"container {status.Name} last terminated: {t.Reason ?? "unknown"}, exit code {t.ExitCode}{when}{started}{ExitMeaning(t.ExitCode, t.Reason)}";
        }
    }

    public static string ExitMeaning(int exitCode, string? reason) => (exitCode, reason) switch
    {
        (137, "OOMKilled") => " — killed for exceeding its memory limit",
        (137, _) => " — killed (SIGKILL), usually after failed liveness probes",
        (143, _) => " — stopped (SIGTERM)",
        (1, _) => " — CoreDNS exited on a [FATAL] error (see its previous log)",
        (2, _) => " — Go panic or bad flag",
        _ => string.Empty,
    };

    public static string Iso(DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The remediation tail that sends a person to the node checks of the node a CoreDNS pod runs on.</summary>
    public static string NodeCheckHint(string? node, string? podIp)
    {
        if (node is null)
        {
            return string.Empty;
        }

        var ipArg = podIp is null ? string.Empty : $" --pod-ip {podIp}";
        return $"; then check node {node} where the CoreDNS pod runs: `kubetriage node{ipArg}` on {node} (its NICs, policy routes and pod egress)";
    }

    /// <summary>The single node all the given pods run on, or null when they span several (or none is known).</summary>
    public static string? CommonNode(IEnumerable<V1Pod> pods)
    {
        var nodes = pods.Select(p => p.Spec?.NodeName).Where(n => n is not null).Distinct(StringComparer.Ordinal).ToList();
        return nodes.Count == 1 ? nodes[0] : null;
    }
}
