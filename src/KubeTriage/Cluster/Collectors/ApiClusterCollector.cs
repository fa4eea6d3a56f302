using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s;
using k8s.Autorest;

namespace KubeTriage.Cluster.Collectors;

/// <summary>
/// Reads what the cluster checks need from the api-server, and nothing more (<see cref="ClusterApiCalls"/>):
/// kube-system Deployments, Pods, Services, the DNS Service's Endpoints and EndpointSlices, the coredns ConfigMap,
/// pod Events, CoreDNS logs (current and previous, last <see cref="LogTailLines"/> lines), Nodes, and the target pods.
/// A 403 or 404 becomes a problem line and the rest goes on; only an unreachable api-server or rejected credentials
/// on the first request stop the run (<see cref="ClusterAccessException"/>).
/// </summary>
public sealed class ApiClusterCollector(IKubernetes client, string server, TimeSpan timeout)
{
    public const int LogTailLines = 2000;
    public const int LogLimitBytes = 4 * 1024 * 1024;
    private const string KubeSystem = ClusterEvidence.DnsNamespace;

    public async Task<ClusterSnapshot> CollectAsync(IReadOnlyList<string> targetPods, CancellationToken cancellationToken)
    {
        var snapshot = new ClusterSnapshot { Source = server, CollectedAt = DateTimeOffset.UtcNow };

        // The first request doubles as the reachability check: it fails the run with one line if nothing answers.
        var deployments = await CallAsync(snapshot, ClusterApiCalls.ListDeployments, ClusterEvidenceKind.Deployments, "deployments in kube-system",
            ct => client.AppsV1.ListNamespacedDeploymentAsync(KubeSystem, cancellationToken: ct), cancellationToken, first: true);
        snapshot.Deployments.AddRange(deployments?.Items ?? []);

        var pods = await CallAsync(snapshot, ClusterApiCalls.ListPods, ClusterEvidenceKind.Pods, "pods in kube-system",
            ct => client.CoreV1.ListNamespacedPodAsync(KubeSystem, cancellationToken: ct), cancellationToken);
        snapshot.Pods.AddRange(pods?.Items ?? []);

        var services = await CallAsync(snapshot, ClusterApiCalls.ListServices, ClusterEvidenceKind.Services, "services in kube-system",
            ct => client.CoreV1.ListNamespacedServiceAsync(KubeSystem, cancellationToken: ct), cancellationToken);
        snapshot.Services.AddRange(services?.Items ?? []);

        var serviceName = ClusterEvidence.From(snapshot).DnsService?.Metadata?.Name ?? "kube-dns";
        var endpoints = await CallAsync(snapshot, ClusterApiCalls.GetEndpoints, ClusterEvidenceKind.Endpoints, $"endpoints {KubeSystem}/{serviceName}",
            ct => client.CoreV1.ReadNamespacedEndpointsAsync(serviceName, KubeSystem, cancellationToken: ct), cancellationToken, notFoundIsAbsence: true);
        if (endpoints is not null)
        {
            snapshot.Endpoints.Add(endpoints);
        }

        var slices = await CallAsync(snapshot, ClusterApiCalls.ListEndpointSlices, ClusterEvidenceKind.EndpointSlices, "endpointslices in kube-system",
            ct => client.DiscoveryV1.ListNamespacedEndpointSliceAsync(KubeSystem, labelSelector: $"{ClusterEvidence.ServiceNameLabel}={serviceName}", cancellationToken: ct),
            cancellationToken);
        snapshot.EndpointSlices.AddRange(slices?.Items ?? []);

        var configMap = await CallAsync(snapshot, ClusterApiCalls.GetConfigMap, ClusterEvidenceKind.ConfigMaps, $"configmap {KubeSystem}/coredns",
            ct => client.CoreV1.ReadNamespacedConfigMapAsync("coredns", KubeSystem, cancellationToken: ct), cancellationToken);
        if (configMap is not null)
        {
            snapshot.ConfigMaps.Add(configMap);
        }

        var dnsPods = ClusterEvidence.From(snapshot).DnsPods;
        var dnsPodNames = dnsPods.Select(PodFacts.Name).ToHashSet(StringComparer.Ordinal);
        await ReadEventsAsync(snapshot, KubeSystem, "involvedObject.kind=Pod", "regarding.kind=Pod", ClusterApiCalls.ListEvents, ClusterApiCalls.ListEventsV1,
            e => dnsPodNames.Contains(e.InvolvedName), cancellationToken);

        foreach (var pod in dnsPods)
        {
            await ReadLogsAsync(snapshot, pod, cancellationToken);
        }

        var nodes = await CallAsync(snapshot, ClusterApiCalls.ListNodes, ClusterEvidenceKind.Nodes, "nodes",
            ct => client.CoreV1.ListNodeAsync(cancellationToken: ct), cancellationToken);
        snapshot.Nodes.AddRange(nodes?.Items ?? []);

        foreach (var target in targetPods)
        {
            await ReadTargetAsync(snapshot, target, cancellationToken);
        }

        return snapshot;
    }

    private async Task ReadTargetAsync(ClusterSnapshot snapshot, string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        snapshot.TargetPods.Add(key);
        var pod = await CallAsync(snapshot, ClusterApiCalls.GetTargetPod, ClusterEvidenceKind.TargetPod, $"pod {key}",
            ct => client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: ct), cancellationToken, ns: ns);
        if (pod is not null && !snapshot.Pods.Any(p => ClusterEvidence.Key(p.Metadata) == key))
        {
            snapshot.Pods.Add(pod);
        }

        await ReadEventsAsync(snapshot, ns, $"involvedObject.name={name}", $"regarding.name={name}", ClusterApiCalls.ListTargetEvents, ClusterApiCalls.ListTargetEventsV1,
            e => e.InvolvedName == name, cancellationToken);
    }

    /// <summary>Core v1 Events first; when those are forbidden, events.k8s.io/v1 (a role may grant only one).</summary>
    private async Task ReadEventsAsync(ClusterSnapshot snapshot, string ns, string coreSelector, string v1Selector, ApiCall coreCall, ApiCall v1Call,
        Func<ClusterEvent, bool> keep, CancellationToken cancellationToken)
    {
        var problems = new ClusterSnapshot();
        var core = await CallAsync(problems, coreCall, ClusterEvidenceKind.Events, $"events in {ns}",
            ct => client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: coreSelector, cancellationToken: ct), cancellationToken, ns: ns);
        if (core is not null)
        {
            snapshot.Events.AddRange(core.Items.Select(ClusterEventConverter.From).Where(keep));
            return;
        }

        var v1 = await CallAsync(snapshot, v1Call, ClusterEvidenceKind.Events, $"events.k8s.io events in {ns}",
            ct => client.EventsV1.ListNamespacedEventAsync(ns, fieldSelector: v1Selector, cancellationToken: ct), cancellationToken, ns: ns);
        if (v1 is not null)
        {
            snapshot.Events.AddRange(v1.Items.Select(ClusterEventConverter.From).Where(keep));
            return;
        }

        snapshot.Problems.AddRange(problems.Problems);
    }

    private async Task ReadLogsAsync(ClusterSnapshot snapshot, k8s.Models.V1Pod pod, CancellationToken cancellationToken)
    {
        var name = PodFacts.Name(pod);
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var status = pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container.Name);
            foreach (var previous in status?.RestartCount > 0 ? [true, false] : new[] { false })
            {
                var what = $"log of {KubeSystem}/{name}/{container.Name}{(previous ? " (previous)" : string.Empty)}";
                var text = await CallAsync(snapshot, ClusterApiCalls.GetPodLog, ClusterEvidenceKind.Logs, what,
                    async ct =>
                    {
                        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(
                            name, KubeSystem, container: container.Name, limitBytes: LogLimitBytes, previous: previous,
                            tailLines: LogTailLines, timestamps: true, cancellationToken: ct);
                        return await ReadBoundedAsync(stream, LogLimitBytes, ct);
                    },
                    cancellationToken, badRequestIsAbsence: previous);
                if (text is not null)
                {
                    snapshot.Logs.Add(new PodLog(KubeSystem, name, container.Name, previous, text));
                }
            }
        }
    }

    private static async Task<string> ReadBoundedAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var memory = new MemoryStream();
        int read;
        while (memory.Length < maxBytes && (read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            memory.Write(buffer, 0, (int)Math.Min(read, maxBytes - memory.Length));
        }

        return Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
    }

    private async Task<T?> CallAsync<T>(
        ClusterSnapshot snapshot,
        ApiCall call,
        ClusterEvidenceKind kind,
        string what,
        Func<CancellationToken, Task<T>> request,
        CancellationToken cancellationToken,
        bool first = false,
        string? ns = null,
        bool notFoundIsAbsence = false,
        bool badRequestIsAbsence = false)
        where T : class
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout + TimeSpan.FromSeconds(1));
        try
        {
            return await request(bounded.Token);
        }
        catch (HttpOperationException ex) when (ex.Response is not null)
        {
            var status = ex.Response.StatusCode;
            switch (status)
            {
                case HttpStatusCode.Forbidden:
                    snapshot.Problems.Add($"evidence unavailable: missing permission {call.Describe(ns)} ({what}): {Reason(ex)}");
                    snapshot.Unavailable.Add(kind);
                    break;
                case HttpStatusCode.NotFound when notFoundIsAbsence:
                    break;
                case HttpStatusCode.NotFound:
                    snapshot.Problems.Add($"not found: {what}");
                    if (kind is ClusterEvidenceKind.ConfigMaps or ClusterEvidenceKind.TargetPod)
                    {
                        snapshot.Unavailable.Add(kind);
                    }

                    break;
                case HttpStatusCode.BadRequest when badRequestIsAbsence:
                    break;
                case HttpStatusCode.Unauthorized when first:
                    throw new ClusterAccessException($"{server}: 401 Unauthorized: the api-server rejected the credentials of the kubeconfig");
                default:
                    snapshot.Problems.Add($"evidence unavailable: {what}: HTTP {(int)status} {Reason(ex)}");
                    snapshot.Unavailable.Add(kind);
                    break;
            }

            return null;
        }
        catch (Exception ex) when (first && ex is k8s.Exceptions.KubeConfigException or k8s.Exceptions.KubernetesClientException)
        {
            // Credentials that only fail when used (an exec plugin, an unreadable client key).
            throw new ClusterAccessException($"{server}: cannot authenticate: {OneLine(ex.Message)}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsNetwork(ex))
        {
            var reason = ex is OperationCanceledException or TimeoutException || ex.InnerException is TimeoutException
                ? $"no answer within {timeout.TotalSeconds:0.#}s"
                : OneLine(Innermost(ex).Message);
            if (first)
            {
                throw new ClusterAccessException($"cannot reach the api-server at {server}: {reason}");
            }

            snapshot.Problems.Add($"evidence unavailable: {what}: {reason}");
            snapshot.Unavailable.Add(kind);
            return null;
        }
    }

    private static bool IsNetwork(Exception ex) =>
        ex is HttpRequestException or OperationCanceledException or TimeoutException or IOException or SocketException
        || ex.InnerException is HttpRequestException or SocketException or IOException;

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    /// <summary>The api-server's Status message when it sent one, else the HTTP reason phrase.</summary>
    private static string Reason(HttpOperationException ex)
    {
        var content = ex.Response?.Content;
        if (!string.IsNullOrWhiteSpace(content))
        {
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(content);
                if (doc.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text)
                {
                    return OneLine(text);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a Status object; fall back to the reason phrase.
            }
        }

        return ex.Response?.ReasonPhrase ?? ex.Message;
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
