namespace KubeTriage.Cluster.Logs;

/// <summary>
/// One logical CoreDNS log entry: a physical line with hard-wrapped pieces rejoined and <c>Trace[…]</c>
/// continuation lines attached. <see cref="Text"/> is the entry without timestamp prefixes; <see cref="Line"/>
/// is the 1-based number of its first physical line.
/// </summary>
public sealed record CoreDnsLogEntry(int Line, DateTimeOffset? Time, string Level, string? Plugin, string Text, CoreDnsLogClass Class)
{
    /// <summary>The upstream as written in the log (<c>IP:port</c>), for <see cref="CoreDnsLogClass.UpstreamTimeout"/>.</summary>
    public string? Upstream { get; init; }

    /// <summary>The api-server address (<c>IP:port</c> or host:port), for <see cref="CoreDnsLogClass.ApiServerUnreachable"/>.</summary>
    public string? ApiServer { get; init; }

    /// <summary>A short reason: <c>i/o timeout</c>, <c>connection refused</c>, the waiting plugins, the loop's zone, the denied resource.</summary>
    public string? Detail { get; init; }

    /// <summary>True for the loop plugin's start-up <c>HINFO &lt;n&gt;.&lt;n&gt;.</c> probe.</summary>
    public bool LoopProbe { get; init; }

    /// <summary>How many events the entry stands for: 1, or N for <c>N errors like '…' occurred in last 5m0s</c>.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>The <c>Trace[…]</c> lines that followed the entry.</summary>
    public IReadOnlyList<string> Continuations { get; init; } = [];

    /// <summary>The entry as a human reads it in evidence: time (when known) and text, capped in length.</summary>
    public string Sample(int max = 240)
    {
        var text = Text.Length > max ? Text[..max] + "…" : Text;
        return Time is { } t ? $"{t.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} {text}" : text;
    }
}
