using System.Globalization;
using KubeTriage.Wire;
using KubeTriage.Wire.ReportModel;

namespace KubeTriage.Reports;

/// <summary>One answered DNS, MySQL, HTTP or gRPC transaction as the capture section lists it among the slowest (a gRPC call by its method path).</summary>
public sealed record CaptureTransactionRow(
    string Time,
    string Protocol,
    string Client,
    string Server,
    string What,
    string Result,
    double LatencySeconds)
{
    public const int MaxWhatLength = 50;

    /// <summary>At most this many of one request to one server, so that other kinds of slow calls show too.</summary>
    public const int PerKind = 3;

    /// <summary>
    /// The <paramref name="count"/> slowest answered transactions of the section, slowest first, with at most
    /// <see cref="PerKind"/> of the same request to the same server.
    /// </summary>
    public static IReadOnlyList<CaptureTransactionRow> Slowest(CaptureReport capture, int count) =>
        capture.Dns.Where(t => t.LatencySeconds is not null)
            .Select(t => new CaptureTransactionRow(t.Time, "dns", t.Client, $"{t.Server}", $"{t.Name} {t.Type}", t.Rcode ?? "-", t.LatencySeconds!.Value))
            .Concat(capture.Mysql.Where(t => t.LatencySeconds is not null)
                .Select(t => new CaptureTransactionRow(t.Time, "mysql", t.Client, $"{t.Server}:{t.Port}",
                    t.Query is null ? t.Command : $"{t.Command} {t.Query}", t.ErrorCode is { } code ? $"ERR {code}" : t.Outcome, t.LatencySeconds!.Value)))
            .Concat(capture.Http.Where(t => t.LatencySeconds is not null)
                .Select(t => new CaptureTransactionRow(t.Time, t.GrpcStatus is not null ? "grpc" : t.Version is null ? "http" : "http2", t.Client, $"{t.Server}:{t.Port}",
                    t.GrpcStatus is not null ? t.Path : $"{t.Method} {t.Host}{t.Path}", HttpResult(t), t.LatencySeconds!.Value)))
            .OrderByDescending(r => r.LatencySeconds).ThenBy(r => r.Time, StringComparer.Ordinal).ThenBy(r => r.What, StringComparer.Ordinal)
            .GroupBy(r => (r.Protocol, r.Server, r.What))
            .SelectMany(g => g.Take(PerKind))
            .OrderByDescending(r => r.LatencySeconds).ThenBy(r => r.Time, StringComparer.Ordinal).ThenBy(r => r.What, StringComparer.Ordinal)
            .Take(count)
            .Select(r => r with { What = Shorten(r.What.ReplaceLineEndings(" ")) })
            .ToList();

    /// <summary>The clock part of an ISO time: <c>17:29:29.783</c>.</summary>
    public static string Clock(string iso) => iso.Length >= 23 && iso[10] == 'T' ? iso[11..23] : iso;

    /// <summary>The status, and how many holes the capture has inside the exchange (its time and size are then what was seen), kept short for the table.</summary>
    private static string HttpResult(CaptureHttpReport t)
    {
        var status = t.Status?.ToString(CultureInfo.InvariantCulture) ?? "-";
        if (t.GrpcStatus is { } grpc)
        {
            status = GrpcStatusText.Name(grpc);
        }
        else if (t.ResetCode is { } reset)
        {
            status += $" reset by {t.ResetBy} ({Http2ErrorText.Name(reset)})";
        }

        return t.Gaps > 0 ? $"{status} ({WireText.Count(t.Gaps, "gap")})" : status;
    }

    private static string Shorten(string text) => text.Length <= MaxWhatLength ? text : text[..(MaxWhatLength - 1)] + "…";
}
