using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>grpc.error-status</c>: a gRPC server the pod calls (HTTP/2 in clear text) ended calls with a status that says
/// the server or the way to it failed: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNKNOWN,
/// DATA_LOSS, UNIMPLEMENTED, UNAUTHENTICATED or PERMISSION_DENIED, or calls the client cancelled (RST_STREAM CANCEL)
/// before any answer came: its deadline passed, and it reported DEADLINE_EXCEEDED. One finding per server endpoint and authority,
/// every such status listed inside. Critical when every call to that server failed so, warning when some did not.
/// Statuses that answer the call the client made (NOT_FOUND, INVALID_ARGUMENT, ALREADY_EXISTS, FAILED_PRECONDITION,
/// ABORTED, OUT_OF_RANGE) and CANCELLED (the client's own doing) are context, not this finding.
/// </summary>
public sealed class GrpcErrorStatusAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxExamples = 3;
    private const int MaxMessageChars = 160;

    public string Id => FindingIds.GrpcErrorStatus;

    public string Title => "gRPC calls failed by the server or the way to it";

    /// <summary>The gRPC statuses this finding reports.</summary>
    public static bool IsReported(int status) => status is GrpcStatusText.CancelledUnanswered or GrpcStatusText.Unknown or GrpcStatusText.DeadlineExceeded
        or GrpcStatusText.PermissionDenied or GrpcStatusText.ResourceExhausted or GrpcStatusText.Unimplemented
        or GrpcStatusText.Internal or GrpcStatusText.Unavailable or GrpcStatusText.DataLoss or GrpcStatusText.Unauthenticated;

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var servers = evidence.GrpcErrors.Where(g => evidence.IsPod(g.Client))
            .GroupBy(g => (g.Server, Authority: g.Host.ToLowerInvariant()))
            .Where(s => s.Any(g => IsReported(g.Status)))
            .OrderBy(s => s.Key.Server.Address, AddressOrder.Instance).ThenBy(s => s.Key.Server.Port)
            .ThenBy(s => s.Key.Authority, StringComparer.Ordinal);
        foreach (var server in servers)
        {
            yield return Judge(evidence, server.Key.Server, server.Key.Authority, server.ToList());
        }
    }

    private Finding Judge(CaptureEvidence evidence, WireEndpoint server, string authority, List<HttpErrorGroup> groups)
    {
        var calls = HttpErrorGroup.Answered(groups);
        var statuses = HttpErrorGroup.ByStatus(groups);
        var reported = statuses.Where(s => IsReported(s.Status)).ToList();
        var failed = reported.Sum(s => s.Count);
        var endpoint = server.ToString();
        var target = authority.Length > 0 ? authority : endpoint;
        var clients = groups.Select(g => g.Client).Distinct().Order(AddressOrder.Instance).Select(c => c.ToString());

        var lines = new List<string>
        {
            $"{WireText.Count(failed, "failed call")} of {WireText.Count(calls, "gRPC call")} from {string.Join(", ", clients)} to {endpoint}"
            + (authority.Length > 0 ? $", authority {authority}" : string.Empty) + " that were answered or cancelled",
        };
        foreach (var s in reported)
        {
            lines.Add($"{GrpcStatusText.Describe(s.Status)} × {s.Count}, "
                + (s.Count > 1 && WireText.Clock(s.First) != WireText.Clock(s.Last) ? $"first at {WireText.Clock(s.First)}, last at {WireText.Clock(s.Last)}" : $"at {WireText.Clock(s.First)}"));
        }

        var other = statuses.Where(s => !IsReported(s.Status)).ToList();
        var ok = calls - statuses.Sum(s => s.Count);
        if (ok > 0 || other.Count > 0)
        {
            var parts = other.Select(s => $"{GrpcStatusText.Name(s.Status)} × {s.Count}").Prepend(ok > 0 ? $"OK × {ok}" : null).OfType<string>();
            lines.Add($"other calls: {string.Join(", ", parts)}");
        }

        // The earliest call of each status first (as they are listed), then the next earliest ones.
        var byStatus = reported.Select(s => groups.Where(g => g.Status == s.Status).SelectMany(g => g.Examples)
            .OrderBy(t => t.RequestTimeNs).ThenBy(t => t.RequestFrame).ThenBy(t => t.StreamId).ToList()).ToList();
        var examples = byStatus.Select(l => l[0])
            .Concat(byStatus.SelectMany(l => l.Skip(1)).OrderBy(t => t.RequestTimeNs).ThenBy(t => t.RequestFrame).ThenBy(t => t.StreamId))
            .Take(MaxExamples).ToList();
        lines.AddRange(examples.Select(Example));
        var translated = evidence.TranslatedPeersOf(server.Address);
        if (translated.Count > 0)
        {
            lines.Add(WireText.SameThroughNat(server.Address, translated));
        }

        var title = $"gRPC calls to {target} failed: {string.Join(", ", reported.Select(s => GrpcStatusText.Name(s.Status)))} ({failed} of {calls})";
        return new Finding(
            Id,
            failed == calls ? Severity.Critical : Severity.Warning,
            title,
            authority.Length > 0 ? $"{endpoint} ({authority})" : endpoint,
            lines,
            Remediation(server, translated, target, examples.FirstOrDefault()?.Path, reported.Select(s => s.Status).ToList()));
    }

    /// <summary>"/shop.Orders/Get at 12:00:01.123 (frame 14 in any.pcap), UNAVAILABLE "no healthy upstream" after 1.2 ms (frame 16)".</summary>
    private static string Example(HttpTransaction t)
    {
        if (t.GrpcStatus is null && t.ResetTimeNs is { } cancelled)
        {
            return $"{t.Path} at {WireText.Clock(t.RequestTimeNs)} ({WireText.Frame(t.RequestFrame, t.File)}), cancelled by the client after {WireText.Duration(cancelled - t.RequestTimeNs)} without an answer";
        }

        var answered = t.LastByteTimeNs ?? t.FirstByteTimeNs;
        var message = t.GrpcMessage is { Length: > 0 } m ? $" \"{(m.Length <= MaxMessageChars ? m : m[..MaxMessageChars] + "…")}\"" : string.Empty;
        return $"{t.Path} at {WireText.Clock(t.RequestTimeNs)} ({WireText.Frame(t.RequestFrame, t.File)}), {GrpcStatusText.Name(t.GrpcStatus ?? 0)}{message}"
            + (answered is { } a ? $" after {WireText.Duration(a - t.RequestTimeNs)}" : string.Empty)
            + (t.ResponseFrame is { } frame ? $" (frame {frame})" : string.Empty);
    }

    private static string Remediation(WireEndpoint server, IReadOnlyList<NetAddress> translated, string target, string? path, List<int> reported)
    {
        var addresses = translated.Prepend(server.Address).Select(a => a.ToString()).ToList();
        var grep = addresses.Count == 1 ? $"grep -w {addresses[0]}" : $"grep -wE '{string.Join('|', addresses)}'";
        var method = path is { Length: > 1 } p && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-') ? p.TrimStart('/') : null;
        var text = new StringBuilder();
        if (reported.Contains(GrpcStatusText.Unavailable))
        {
            text.Append($"UNAVAILABLE: nothing healthy answered the call (no ready endpoints, backends restarting, a proxy without upstream, a connection refused or reset). Check what stands behind {server}:\n")
                .Append($"  kubectl get svc,endpointslices -A -o wide | {grep}   # the Service and its ready endpoints\n")
                .Append($"  kubectl get pods -A -o wide | {grep}   # the backend pods: ready? restarting?\n");
        }

        if (reported.Contains(GrpcStatusText.DeadlineExceeded) || reported.Contains(GrpcStatusText.CancelledUnanswered))
        {
            text.Append("DEADLINE_EXCEEDED (or cancelled unanswered: the client's deadline passed first): the call outlived its deadline: the server (or what it waits on) is slow, or the client's deadline is too short for it. Compare the waits above with the client's deadline, and read the server's log at those times.\n");
        }

        if (reported.Contains(GrpcStatusText.ResourceExhausted))
        {
            text.Append("RESOURCE_EXHAUSTED: a limit was hit: a rate limit or quota, the server's concurrent-stream or memory limit, or a message larger than the receiver's max message size (grpc.max_receive_message_length).\n");
        }

        if (reported.Contains(GrpcStatusText.Unimplemented))
        {
            text.Append("UNIMPLEMENTED: the server has no such method: client and server were built from different .proto versions, or the call reached the wrong service. Compare the deployed versions:\n")
                .Append($"  kubectl get pods -A -o wide | {grep}   # which image answers at {server.Address}\n");
        }

        if (reported.Contains(GrpcStatusText.Unauthenticated) || reported.Contains(GrpcStatusText.PermissionDenied))
        {
            text.Append("UNAUTHENTICATED/PERMISSION_DENIED: the server refused the pod's credentials: check the token or client certificate the pod sends and the server's (or the mesh's) authorization policy.\n");
        }

        if (reported.Any(s => s is GrpcStatusText.Internal or GrpcStatusText.Unknown or GrpcStatusText.DataLoss))
        {
            text.Append("INTERNAL/UNKNOWN/DATA_LOSS: the server failed while handling the call; its log at the times above says why:\n")
                .Append("  kubectl logs -n NAMESPACE POD --since=15m | grep -iE 'error|exception|panic'\n");
        }

        text.Append($"  grpcurl -plaintext {target} {(method is null ? "list" : $"describe {method.Replace('/', '.')}")}   # from the pod: does the server answer, and does it know the method?\n");
        return text.ToString().TrimEnd('\n');
    }
}
