using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>http.error-status</c>: a server the pod asks over HTTP answered with server errors (5xx) or refused it
/// with 429 Too Many Requests. One finding per server endpoint and Host, every such status listed inside.
/// Critical when every response from that server and Host was one of them, warning when some were not.
/// Other 4xx are not reported: they answer the request the client made (a missing object, a denied token)
/// and healthy apps get them all the time; they show as context. Requests that got no response at all are
/// not this finding.
/// </summary>
public sealed class HttpErrorStatusAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxExamples = 3;
    private const int MaxPathChars = 120;

    public string Id => FindingIds.HttpErrorStatus;

    public string Title => "HTTP server errors and rate limiting";

    /// <summary>The statuses this finding reports: server errors and 429.</summary>
    public static bool IsReported(int status) => status is (>= 500 and <= 599) or 429;

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var servers = evidence.HttpErrors.Where(g => evidence.IsPod(g.Client))
            .GroupBy(g => (g.Server, Host: g.Host.ToLowerInvariant()))
            .Where(s => s.Any(g => IsReported(g.Status)))
            .OrderBy(s => s.Key.Server.Address, AddressOrder.Instance).ThenBy(s => s.Key.Server.Port)
            .ThenBy(s => s.Key.Host, StringComparer.Ordinal);
        foreach (var server in servers)
        {
            yield return Judge(evidence, server.Key.Server, server.Key.Host, server.ToList());
        }
    }

    private Finding Judge(CaptureEvidence evidence, WireEndpoint server, string host, List<HttpErrorGroup> groups)
    {
        var responses = HttpErrorGroup.Answered(groups);
        var statuses = HttpErrorGroup.ByStatus(groups);
        var reported = statuses.Where(s => IsReported(s.Status)).ToList();
        var errors = reported.Sum(s => s.Count);
        var endpoint = server.ToString();
        var url = host.Length > 0 ? $"http://{host}" : $"http://{endpoint}";
        var clients = groups.Select(g => g.Client).Distinct().Order(AddressOrder.Instance).Select(c => c.ToString());

        var lines = new List<string>
        {
            $"{WireText.Count(errors, "error response")} of {WireText.Count(responses, "answered request")} from {string.Join(", ", clients)} to {endpoint}"
            + (host.Length > 0 ? $", Host {host}" : string.Empty),
        };
        foreach (var s in reported)
        {
            lines.Add($"{HttpStatusText.Describe(s.Status)} × {s.Count}, first at {WireText.Clock(s.First)}"
                + (s.Count > 1 ? $", last at {WireText.Clock(s.Last)}" : string.Empty));
        }

        var other = responses - errors;
        if (other > 0)
        {
            var clientErrors = statuses.Where(s => !IsReported(s.Status)).ToList();
            var below400 = other - clientErrors.Sum(s => s.Count);
            var parts = clientErrors.Select(s => $"{HttpStatusText.Describe(s.Status)} × {s.Count}").Prepend(below400 > 0 ? $"{below400} below 400" : null).OfType<string>();
            lines.Add($"other responses: {string.Join(", ", parts)}");
        }

        var examples = groups.Where(g => IsReported(g.Status)).SelectMany(g => g.Examples)
            .OrderBy(t => t.RequestTimeNs).ThenBy(t => t.RequestFrame).ThenBy(t => t.StreamId).Take(MaxExamples).ToList();
        lines.AddRange(examples.Select(Example));
        var translated = evidence.TranslatedPeersOf(server.Address);
        if (translated.Count > 0)
        {
            lines.Add(WireText.SameThroughNat(server.Address, translated));
        }

        var title = $"{url} answered {string.Join(", ", reported.Select(s => HttpStatusText.Describe(s.Status)))} to {errors} of {WireText.Count(responses, "request")}";
        return new Finding(
            Id,
            errors == responses ? Severity.Critical : Severity.Warning,
            title,
            host.Length > 0 ? $"{endpoint} ({host})" : endpoint,
            lines,
            Remediation(server, translated, url + (examples.FirstOrDefault()?.Path ?? "/"), reported.Select(s => (s.Status, s.Count, s.First, s.Last)).ToList()));
    }

    /// <summary>"GET /api/orders at 12:00:01.123 (frame 14 in any.pcap), 503 after 1.2 ms (frame 16)".</summary>
    private static string Example(HttpTransaction t)
    {
        var path = t.Path.Length <= MaxPathChars ? t.Path : t.Path[..MaxPathChars] + "…";
        var answered = t.FirstByteTimeNs ?? t.LastByteTimeNs;
        return $"{t.Method} {path} at {WireText.Clock(t.RequestTimeNs)} ({WireText.Frame(t.RequestFrame, t.File)}), {t.Status}"
            + (answered is { } a ? $" after {WireText.Duration(a - t.RequestTimeNs)}" : string.Empty)
            + (t.ResponseFrame is { } frame ? $" (frame {frame})" : string.Empty);
    }

    private static string Remediation(WireEndpoint server, IReadOnlyList<NetAddress> translated, string url,
        List<(int Status, long Count, long First, long Last)> reported)
    {
        var addresses = translated.Prepend(server.Address).Select(a => a.ToString()).ToList();
        var grep = addresses.Count == 1 ? $"grep -w {addresses[0]}" : $"grep -wE '{string.Join('|', addresses)}'";
        var target = ShellSafe(url);
        var text = new StringBuilder();
        var gateway = reported.Where(s => s.Status is 502 or 503 or 504).Select(s => s.Status).Order().ToList();
        var failing = reported.Where(s => s.Status is >= 500 and <= 599 && s.Status is not (502 or 503 or 504)).Select(s => s.Status).Order().ToList();
        var limited = reported.Where(s => s.Status == 429).ToList();
        if (gateway.Count > 0)
        {
            text.Append($"{string.Join("/", gateway)}: a proxy or the server has no healthy upstream (no ready endpoints, backends down, overloaded or too slow). Check what stands behind {server}:\n")
                .Append($"  kubectl get svc,endpointslices -A -o wide | {grep}   # the Service and its ready endpoints\n")
                .Append($"  kubectl get pods -A -o wide | {grep}   # the backend pods: ready? restarting?\n")
                .Append("  kubectl logs -n NAMESPACE POD --since=15m   # the backend's (or the proxy's) log at the times above\n");
        }

        if (failing.Count > 0)
        {
            text.Append($"{string.Join("/", failing)}: the backend failed while handling the request; its log at the times above says why:\n")
                .Append($"  kubectl get pods -A -o wide | {grep}   # the backend pods\n")
                .Append("  kubectl logs -n NAMESPACE POD --since=15m | grep -iE 'error|exception|traceback'\n");
        }

        if (limited.Count > 0)
        {
            var l = limited[0];
            text.Append($"429: {server} rate-limits the pod ({WireText.Count(l.Count, "request")} refused in {WireText.Duration(l.Last - l.First)}). "
                    + "Compare its limit (a quota, an ingress or gateway rate limit) with the pod's request rate × replicas; "
                    + "back off as Retry-After says, or raise the limit:\n")
                .Append($"  curl -sv -o /dev/null '{target}' 2>&1 | grep -iE '^< (retry-after|ratelimit|x-ratelimit)'   # from the pod\n");
        }

        if (gateway.Count + failing.Count > 0)
        {
            text.Append($"  curl -sv -o /dev/null '{target}'   # from the pod: who answers (Server, Via headers) and the status now\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>A URL from the capture, cut to the characters a URL may hold, so it can sit in single quotes in a shell.</summary>
    private static string ShellSafe(string url)
    {
        var safe = new StringBuilder(url.Length);
        foreach (var c in url)
        {
            if (char.IsAsciiLetterOrDigit(c) || "-._~:/?#[]@!$&()*+,;=%".Contains(c, StringComparison.Ordinal))
            {
                safe.Append(c);
            }
        }

        return safe.Length <= 300 ? safe.ToString() : safe.ToString(0, 300);
    }
}
