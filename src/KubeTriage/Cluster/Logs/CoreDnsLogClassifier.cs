using System.Text.RegularExpressions;

namespace KubeTriage.Cluster.Logs;

/// <summary>
/// Classifies one logical CoreDNS entry. Knows the shapes of CoreDNS 1.8 → 1.12: <c>[LEVEL] plugin/NAME: msg</c>
/// (plugin/pkg/log), the errors plugin's <c>RCODE QNAME QTYPE: err</c>, klog-native client-go lines
/// (<c>E1218 06:28:53.487332  1 reflector.go:127] …</c>, up to 1.9.3) and the same errors routed through
/// <c>[ERROR] plugin/kubernetes:</c> (1.9.4+), 1.8.1–1.8.3's bare <c>plugin/kubernetes: Get "https://…"</c>
/// fatal, 1.11.3+'s bare <c>Unhandled Error</c>, and both readiness wordings (1.12.2 changed it).
/// Stateful only for <c>Unhandled Error</c>, which belongs to the api-server failure just before it.
/// </summary>
public sealed partial class CoreDnsLogClassifier
{
    private int _sinceApiFailure = int.MaxValue;
    private string? _lastApiServer;

    public CoreDnsLogEntry Classify(int line, DateTimeOffset? time, string text)
    {
        var (level, plugin, message) = SplitHeader(text);
        var entry = ClassifyMessage(new CoreDnsLogEntry(line, time, level, plugin, text, CoreDnsLogClass.Info), level, plugin, message);
        if (entry.Class == CoreDnsLogClass.ApiServerUnreachable)
        {
            _sinceApiFailure = 0;
            _lastApiServer = entry.ApiServer ?? _lastApiServer;
        }
        else if (_sinceApiFailure < int.MaxValue)
        {
            _sinceApiFailure++;
        }

        return entry;
    }

    private CoreDnsLogEntry ClassifyMessage(CoreDnsLogEntry entry, string level, string? plugin, string message)
    {
        if (plugin == "loop" && message.Contains("detected", StringComparison.OrdinalIgnoreCase))
        {
            var loop = LoopLine().Match(message);
            return entry with
            {
                Class = CoreDnsLogClass.LoopDetected,
                Upstream = loop.Success ? loop.Groups["src"].Value : null,
                Detail = loop.Success ? $"zone \"{loop.Groups["zone"].Value}\"" : "loop detected",
            };
        }

        if (plugin == "errors")
        {
            return ClassifyErrorsPlugin(entry, message);
        }

        if (plugin == "ready")
        {
            var ready = ReadyLine().Match(message);
            if (ready.Success)
            {
                return entry with { Class = CoreDnsLogClass.ReadyWaiting, Detail = ready.Groups["plugins"].Value };
            }
        }

        if (plugin is "kubernetes" or "klog")
        {
            var kube = ClassifyKubernetes(entry, level, message);
            if (kube is not null)
            {
                return kube;
            }
        }

        return level is "ERROR" or "FATAL" ? entry with { Class = CoreDnsLogClass.OtherError } : entry;
    }

    private static CoreDnsLogEntry ClassifyErrorsPlugin(CoreDnsLogEntry entry, string message)
    {
        var consolidated = ConsolidatedLine().Match(message);
        if (consolidated.Success)
        {
            var count = int.TryParse(consolidated.Groups["n"].Value, out var n) ? Math.Max(1, n) : 1;
            var pattern = consolidated.Groups["pattern"].Value;
            var kind = UpstreamKind(pattern);
            return entry with
            {
                Class = kind is null ? CoreDnsLogClass.OtherError : CoreDnsLogClass.UpstreamTimeout,
                Weight = count,
                Detail = kind ?? pattern,
            };
        }

        var query = ErrorsLine().Match(message);
        var error = query.Success ? query.Groups["err"].Value : message;
        var upstreamKind = UpstreamKind(error);
        if (upstreamKind is null)
        {
            return entry with { Class = CoreDnsLogClass.OtherError, Detail = error };
        }

        var target = ReadFrom().Match(error);
        if (!target.Success)
        {
            target = DialTo().Match(error);
        }

        return entry with
        {
            Class = CoreDnsLogClass.UpstreamTimeout,
            Upstream = target.Success ? target.Groups["dst"].Value : null,
            Detail = upstreamKind,
            LoopProbe = query.Success && query.Groups["qtype"].Value == "HINFO" && LoopProbeName().IsMatch(query.Groups["qname"].Value),
        };
    }

    private CoreDnsLogEntry? ClassifyKubernetes(CoreDnsLogEntry entry, string level, string message)
    {
        var rbac = RbacUnknown().Match(message);
        if (!rbac.Success)
        {
            rbac = RbacForbidden().Match(message);
        }

        if (rbac.Success)
        {
            return entry with { Class = CoreDnsLogClass.RbacDenied, Detail = rbac.Groups["res"].Value };
        }

        if (message.Contains("waiting for Kubernetes API", StringComparison.Ordinal))
        {
            return entry with { Class = CoreDnsLogClass.ReadyWaiting, Detail = "kubernetes" };
        }

        if (message.Contains("starting server with unsynced Kubernetes API", StringComparison.Ordinal))
        {
            return entry with { Class = CoreDnsLogClass.ApiServerUnreachable, ApiServer = null, Detail = "started with unsynced Kubernetes API" };
        }

        if (message.StartsWith("Unhandled Error", StringComparison.Ordinal))
        {
            // 1.11.3+ logs the failed list first and then this bare line (the error object is dropped).
            return _sinceApiFailure <= 2
                ? entry with { Class = CoreDnsLogClass.ApiServerUnreachable, Detail = $"Unhandled Error after a failed list of {_lastApiServer ?? "the api-server"}" }
                : entry with { Class = CoreDnsLogClass.OtherError };
        }

        var apiCall = message.Contains("Kubernetes API connection failure", StringComparison.Ordinal)
            || ReflectorFailure().IsMatch(message)
            || (level == "FATAL" && message.StartsWith("Get ", StringComparison.Ordinal));
        if (apiCall && NetworkFailure().Match(message) is { Success: true } network)
        {
            return entry with
            {
                Class = CoreDnsLogClass.ApiServerUnreachable,
                ApiServer = ApiServerOf(message),
                Detail = network.Value,
            };
        }

        return null;
    }

    /// <summary>The api-server address: the <c>dial tcp X:443</c> target, else the URL's host.</summary>
    public static string? ApiServerOf(string message)
    {
        var dial = DialTo().Match(message);
        if (dial.Success)
        {
            return dial.Groups["dst"].Value;
        }

        var url = UrlHost().Match(message);
        if (!url.Success)
        {
            return null;
        }

        var host = url.Groups["host"].Value;
        return host.Contains(':', StringComparison.Ordinal) && !host.EndsWith(']') ? host : host + ":443";
    }

    /// <summary>The network failure of an upstream error text, or null when it is not one.</summary>
    public static string? UpstreamKind(string error)
    {
        if (error.Contains("i/o timeout", StringComparison.Ordinal))
        {
            return "i/o timeout";
        }

        if (error.Contains("connection refused", StringComparison.Ordinal))
        {
            return "connection refused";
        }

        if (error.Contains("network is unreachable", StringComparison.Ordinal))
        {
            return "network is unreachable";
        }

        if (error.Contains("no route to host", StringComparison.Ordinal))
        {
            return "no route to host";
        }

        if (error.Contains("no healthy proxies", StringComparison.Ordinal) || error.Contains("no upstream host", StringComparison.Ordinal))
        {
            return "no healthy proxies";
        }

        if (error.Contains("unreachable backend", StringComparison.Ordinal))
        {
            return "unreachable backend";
        }

        return null;
    }

    /// <summary>Splits <c>[LEVEL] plugin/NAME: msg</c>, klog's <c>E0101 … file.go:1] msg</c> and bare <c>plugin/NAME: msg</c>.</summary>
    public static (string Level, string? Plugin, string Message) SplitHeader(string text)
    {
        var bracket = LevelPrefix().Match(text);
        if (bracket.Success)
        {
            var level = bracket.Groups["level"].Value == "WARN" ? "WARNING" : bracket.Groups["level"].Value;
            var rest = text[bracket.Length..];
            var plugin = PluginPrefix().Match(rest);
            return plugin.Success ? (level, plugin.Groups["name"].Value, rest[plugin.Length..]) : (level, null, rest);
        }

        var klog = KlogPrefix().Match(text);
        if (klog.Success)
        {
            var level = klog.Groups["sev"].Value switch
            {
                "E" => "ERROR",
                "W" => "WARNING",
                "F" => "FATAL",
                _ => "INFO",
            };
            return (level, "klog", text[klog.Length..]);
        }

        var bare = PluginPrefix().Match(text);
        if (bare.Success)
        {
            // Go's plain log.Fatal (1.8.1–1.8.3 plugin setup failure): no level, the process exits.
            return ("FATAL", bare.Groups["name"].Value, text[bare.Length..]);
        }

        return (string.Empty, null, text);
    }

    [GeneratedRegex(@"^\[(?<level>INFO|WARNING|WARN|ERROR|FATAL|DEBUG)\] ?")]
    private static partial Regex LevelPrefix();

    [GeneratedRegex(@"^plugin/(?<name>[a-z0-9_]+): ?")]
    private static partial Regex PluginPrefix();

    [GeneratedRegex(@"^(?<sev>[IWEF])\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+\s+[^\]\s]+\]\s?")]
    private static partial Regex KlogPrefix();

    [GeneratedRegex(@"^(?<rcode>\d+) (?<qname>\S+) (?<qtype>[A-Z0-9]+): (?<err>.*)$")]
    private static partial Regex ErrorsLine();

    [GeneratedRegex(@"^(?<n>\d+) errors like '(?<pattern>.*)' occurred in last \S+")]
    private static partial Regex ConsolidatedLine();

    [GeneratedRegex(@"(?:read|write) (?:udp|tcp) (?<src>\S+)->(?<dst>\S+?):? ")]
    private static partial Regex ReadFrom();

    [GeneratedRegex(@"dial (?:udp|tcp) (?<dst>\S+?): ")]
    private static partial Regex DialTo();

    [GeneratedRegex(@"^\d+\.\d+\.$")]
    private static partial Regex LoopProbeName();

    [GeneratedRegex(@"Loop \((?<src>\S*) -> (?<dst>\S*)\) detected for zone ""(?<zone>[^""]*)""")]
    private static partial Regex LoopLine();

    [GeneratedRegex(@"(?:Still waiting on|Plugins not ready): ""(?<plugins>[^""]*)""")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"unknown \(get (?<res>[^)]+)\)")]
    private static partial Regex RbacUnknown();

    [GeneratedRegex(@"forbidden: .*cannot (?:list|watch|get) resource ""(?<res>[^""]+)""")]
    private static partial Regex RbacForbidden();

    [GeneratedRegex(@"(?:Failed to watch|Failed to list|failed to list) ")]
    private static partial Regex ReflectorFailure();

    [GeneratedRegex(@"i/o timeout|connection refused|no route to host|network is unreachable|TLS handshake timeout|context deadline exceeded|connection reset by peer|http2: client connection lost|Client\.Timeout exceeded")]
    private static partial Regex NetworkFailure();

    [GeneratedRegex(@"https?://(?<host>[^/""\s?]+)")]
    private static partial Regex UrlHost();
}
