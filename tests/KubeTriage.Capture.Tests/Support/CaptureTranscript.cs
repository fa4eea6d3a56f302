using System.Globalization;
using System.Text;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Tests.Support;

/// <summary>
/// Renders what the engine reported as plain, deterministic text for golden files: files, interfaces,
/// connections, UDP flows, diagnostics and problems, one line each.
/// </summary>
public static class CaptureTranscript
{
    public static string Render(RecordingSink sink)
    {
        var text = new StringBuilder();
        foreach (var file in sink.FilesEnded)
        {
            text.AppendLine(Invariant($"file {Path.GetFileName(file.Path)} format={file.Format} link={file.LinkType} packets={file.Packets} bytes={file.Bytes} start={Time(file.FirstTimeNs)} end={Time(file.LastTimeNs)}"));
            foreach (var problem in file.Problems)
            {
                text.AppendLine($"  problem {problem.Replace(Path.GetDirectoryName(file.Path) + "/", string.Empty, StringComparison.Ordinal)}");
            }
        }

        foreach (var captureInterface in sink.Interfaces)
        {
            text.AppendLine(Invariant($"interface {captureInterface.Id} {captureInterface.Name} link={captureInterface.LinkType}"));
        }

        text.AppendLine(Invariant($"ip-packets {sink.Packets.Count}"));
        foreach (var c in sink.Connections)
        {
            text.AppendLine(Invariant(
                $"tcp {c.Client} > {c.Server} {c.Outcome} first=#{c.FirstFrame} syn={c.SynAttempts} rtt={Seconds(c.HandshakeRttNs)} packets={c.PacketsToServer}/{c.PacketsToClient} bytes={c.BytesToServer}/{c.BytesToClient} retx={c.Retransmissions} rst={c.Resets} fin={(c.ClosedByFin ? "yes" : "no")} wait={Seconds(c.ServerWaitNs)}/{c.ServerTurns} dup={c.DuplicatesOnOtherInterface} gaps={c.Gaps} zerowin={c.ZeroWindowSegments} if={string.Join(',', c.InterfaceIds)}"));
            ZeroWindow(text, "client", c.ClientZeroWindow);
            ZeroWindow(text, "server", c.ServerZeroWindow);
        }

        foreach (var f in sink.UdpFlows)
        {
            text.AppendLine(Invariant(
                $"udp {f.Client} > {f.Server} first=#{f.FirstFrame} packets={f.PacketsToServer}/{f.PacketsToClient} bytes={f.BytesToServer}/{f.BytesToClient} dup={f.DuplicatesOnOtherInterface} if={string.Join(',', f.InterfaceIds)}"));
        }

        foreach (var d in sink.Diagnostics)
        {
            text.AppendLine($"diagnostic #{d.Frame} {d.Reason} {d.Flow} {d.Message}");
        }

        return text.ToString();
    }

    /// <summary>One line per side that advertised a zero window; none otherwise, so most transcripts do not carry it.</summary>
    private static void ZeroWindow(StringBuilder text, string side, TcpZeroWindow w)
    {
        if (w.Segments == 0)
        {
            return;
        }

        text.AppendLine(Invariant(
            $"  zero-window {side} segments={w.Segments} stalls={w.Stalls} probes={w.Probes} stalled={Seconds(w.StalledNs)} longest={Seconds(w.LongestStallNs)} from=#{w.LongestStallFrame} unresolved={(w.LongestStallUnresolved ? "yes" : "no")} open-at-end={(w.OpenAtEnd ? "yes" : "no")}"));
    }

    private static string Time(long? ns) =>
        ns is { } value ? WireTime.ToDateTimeOffset(value).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture) : "-";

    private static string Seconds(long? ns) => ns is { } value ? (value / 1e9).ToString("0.000000", CultureInfo.InvariantCulture) : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
