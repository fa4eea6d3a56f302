using System.Globalization;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire;

/// <summary>How the wire room writes times, durations and counts in evidence lines and tables.</summary>
public static class WireText
{
    /// <summary>Packet time as a UTC clock reading with milliseconds, e.g. <c>17:29:29.783</c>.</summary>
    public static string Clock(long unixNs) =>
        WireTime.ToDateTimeOffset(unixNs).UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>The evidence line for a server seen before and after DNAT on the node (a Service address and its backends).</summary>
    public static string SameThroughNat(NetAddress server, IEnumerable<NetAddress> translated) =>
        $"{server} and {string.Join(", ", translated)} are one connection before and after NAT on the node (a Service and its backend)";

    /// <summary>When something happened over a time range: <c>between 17:29:29.783 and 17:30:02.101</c>, or
    /// <c>at 17:29:29.783</c> when both ends read the same.</summary>
    public static string Between(long firstNs, long lastNs)
    {
        string first = Clock(firstNs), last = Clock(lastNs);
        return first == last ? $"at {first}" : $"between {first} and {last}";
    }

    /// <summary>ISO-8601 UTC with microseconds, as the JSON report writes times.</summary>
    public static string Iso(long unixNs) =>
        WireTime.ToDateTimeOffset(unixNs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration for people: <c>850 ms</c>, <c>4.02 s</c>, <c>52.1 s</c>, <c>3 min 12 s</c>.</summary>
    public static string Duration(long ns)
    {
        var seconds = ns / 1e9;
        return seconds switch
        {
            < 0.001 => $"{(ns / 1e3).ToString("0.#", CultureInfo.InvariantCulture)} µs",
            < 1 => $"{(ns / 1e6).ToString("0.#", CultureInfo.InvariantCulture)} ms",
            < 10 => $"{seconds.ToString("0.00", CultureInfo.InvariantCulture)} s",
            < 180 => $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
            _ => $"{(long)seconds / 60} min {(long)seconds % 60} s",
        };
    }

    /// <summary>Seconds with three decimals, for tables.</summary>
    public static string Seconds(long ns) => (ns / 1e9).ToString("0.000", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>"1 connection", "9 connections".</summary>
    public static string Count(long count, string singular, string? plural = null) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>"1 capture gap", "3 capture gaps": holes in the capture inside one transaction.</summary>
    public static string CaptureGaps(int gaps) => Count(gaps, "capture gap");

    /// <summary>Bytes for people: <c>812 B</c>, <c>18.2 kB</c>, <c>2.6 MB</c>.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1000 => $"{bytes} B",
        < 1_000_000 => $"{(bytes / 1e3).ToString("0.#", CultureInfo.InvariantCulture)} kB",
        < 1_000_000_000 => $"{(bytes / 1e6).ToString("0.#", CultureInfo.InvariantCulture)} MB",
        _ => $"{(bytes / 1e9).ToString("0.##", CultureInfo.InvariantCulture)} GB",
    };

    /// <summary>The file name only, as evidence lines cite it.</summary>
    public static string FileName(string path) => string.IsNullOrEmpty(path) ? "?" : Path.GetFileName(path);

    /// <summary>"frame 17 in trace.pcap".</summary>
    public static string Frame(long frame, string file) => $"frame {frame} in {FileName(file)}";

    /// <summary>At most <paramref name="max"/> items, then "and N more".</summary>
    public static string List(IEnumerable<string> items, int max = 5)
    {
        var all = items.ToList();
        return all.Count <= max ? string.Join(", ", all) : $"{string.Join(", ", all.Take(max))} and {all.Count - max} more";
    }

    /// <summary>An endpoint the way tcpdump users write it: 10.0.0.1:80 or [2001:db8::1]:80.</summary>
    public static string Endpoint(NetAddress address, ushort port) => new WireEndpoint(address, port).ToString();
}
