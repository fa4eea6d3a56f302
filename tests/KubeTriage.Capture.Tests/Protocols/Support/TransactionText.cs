using System.Globalization;
using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols.Support;

/// <summary>
/// A plain dissection transcript of what a sink received, one line per transaction or diagnostic,
/// sorted by time and frame so that it does not depend on when each dissector chose to report.
/// </summary>
public static class TransactionText
{
    public static string Of(RecordingSink sink)
    {
        var lines = new List<(long Time, long Frame, int Kind, string Text)>();
        lines.AddRange(sink.Dns.Select(t => (t.QueryTimeNs, t.QueryFrame, 0, Dns(t))));
        lines.AddRange(sink.MySql.Select(t => (t.RequestTimeNs, t.RequestFrame, 1, MySql(t))));
        lines.AddRange(sink.Http.Select(t => (t.RequestTimeNs, t.RequestFrame, 2, Http(t))));
        lines.AddRange(sink.Tls.Select(t => (t.TimeNs, t.Frame, 3, Tls(t))));
        var text = new StringBuilder();
        foreach (var line in lines.OrderBy(l => l.Time).ThenBy(l => l.Frame).ThenBy(l => l.Kind).ThenBy(l => l.Text, StringComparer.Ordinal))
        {
            text.Append(line.Text).Append('\n');
        }

        foreach (var diagnostic in sink.Diagnostics.OrderBy(d => d.Frame).ThenBy(d => d.Offset))
        {
            text.Append(Diagnostic(diagnostic)).Append('\n');
        }

        return text.ToString();
    }

    public static string Dns(DnsTransaction t)
    {
        var text = new StringBuilder();
        text.Append(Time(t.QueryTimeNs)).Append(" dns ").Append(t.Client).Append(" > ").Append(t.Server)
            .Append(t.OverTcp ? " tcp" : " udp")
            .Append(CultureInfo.InvariantCulture, $" id=0x{t.Id:x4} {t.Name} {DnsType.Name(t.QueryType)} -> ")
            .Append(t.Rcode is { } rcode ? DnsRcode.Name(rcode) : "no response");
        if (t.Answers.Count > 0)
        {
            text.Append(" [").AppendJoin("; ", t.Answers.Select(a => $"{a.Name} {DnsType.Name(a.Type)} {a.Ttl} {a.Data}")).Append(']');
        }

        text.Append(Latency(t.LatencySeconds));
        if (t.Retransmissions > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" retransmissions={t.Retransmissions}");
        }

        if (t.Truncated)
        {
            text.Append(" truncated");
        }

        return text.Append(CultureInfo.InvariantCulture, $" frames={t.QueryFrame}/{(t.ResponseFrame is { } r ? r.ToString(CultureInfo.InvariantCulture) : "-")} file={Path.GetFileName(t.File)}").ToString();
    }

    public static string MySql(MySqlTransaction t)
    {
        var text = new StringBuilder();
        text.Append(Time(t.RequestTimeNs)).Append(" mysql ").Append(t.Client).Append(" > ").Append(t.Server)
            .Append(' ').Append(t.CommandName);
        if (t.Query is not null)
        {
            text.Append(" \"").Append(t.Query.ReplaceLineEndings(" ")).Append('"');
        }

        if (t.User is not null)
        {
            text.Append(" user=").Append(t.User);
        }

        if (t.ServerVersion is not null)
        {
            text.Append(" server=").Append(t.ServerVersion);
        }

        text.Append(" -> ").Append(t.Outcome.ToString().ToLowerInvariant());
        if (t.ErrorCode is { } code)
        {
            text.Append(CultureInfo.InvariantCulture, $" {code} {t.SqlState ?? "-"} \"{t.ErrorMessage}\"");
        }

        if (t.Outcome == MySqlOutcome.ResultSet)
        {
            text.Append(CultureInfo.InvariantCulture, $" rows={t.Rows}");
        }

        return text.Append(Latency(t.LatencySeconds)).Append(CultureInfo.InvariantCulture, $" frame={t.RequestFrame} file={Path.GetFileName(t.File)}").ToString();
    }

    public static string Http(HttpTransaction t) =>
        $"{Time(t.RequestTimeNs)} http {t.Client} > {t.Server} {t.Method} host={t.Host ?? "-"} {t.Path} -> "
        + $"{(t.Status is { } s ? s.ToString(CultureInfo.InvariantCulture) : "no response")} bytes={t.ResponseBytes}"
        + $" ttfb={Milliseconds(t.FirstByteTimeNs - t.RequestTimeNs)} ttlb={Milliseconds(t.LastByteTimeNs - t.RequestTimeNs)}"
        + (t.Gaps > 0 ? $" gaps={t.Gaps}" : string.Empty)
        + (t.Version == HttpTransaction.Http2 ? Http2(t) : string.Empty)
        + $" frame={t.RequestFrame} file={Path.GetFileName(t.File)}";

    /// <summary>What only an HTTP/2 stream has: its id, gRPC's status and message, a reset.</summary>
    private static string Http2(HttpTransaction t) =>
        $" h2 stream={t.StreamId}"
        + (t.Grpc ? $" grpc={(t.GrpcStatus is { } g ? g.ToString(CultureInfo.InvariantCulture) : "-")}" : string.Empty)
        + (t.GrpcMessage is { } m ? $" grpc-message=\"{m}\"" : string.Empty)
        + (t.ResetCode is { } r ? $" reset={r.ToString(CultureInfo.InvariantCulture)} by={(t.ResetByClient ? "client" : "server")}" : string.Empty)
        + (t.HeadersUnreadable ? " headers-unreadable" : string.Empty);

    public static string Tls(TlsTransaction t) =>
        $"{Time(t.TimeNs)} tls {t.Client} > {t.Server} sni={t.Sni ?? "-"} version=0x{t.LegacyVersion:x4} frame={t.Frame} file={Path.GetFileName(t.File)}";

    public static string Diagnostic(WireDiagnostic d) =>
        $"diagnostic {d.Reason} frame={d.Frame} flow={d.Flow ?? "-"} offset={d.Offset} \"{d.Message}\" {d.Snippet} file={Path.GetFileName(d.File)}";

    private static string Time(long ns) =>
        WireTime.ToDateTimeOffset(ns).ToString("yyyy-MM-ddTHH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string Latency(double? seconds) =>
        seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $" latency={s * 1000:0.000}ms") : " latency=-";

    private static string Milliseconds(long? ns) =>
        ns is { } n ? string.Create(CultureInfo.InvariantCulture, $"{n / 1e6:0.000}ms") : "-";
}
