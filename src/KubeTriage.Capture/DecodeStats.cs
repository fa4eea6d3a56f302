using KubeTriage.Capture.Files;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture;

/// <summary>
/// Per-file counters kept while packets are decoded: totals, times, and how many frames could not be
/// decoded for which reason. Only the first few per reason become diagnostics; the rest are counted here
/// and summarised as problems at the end of the file.
/// </summary>
internal sealed class DecodeStats(string path)
{
    private readonly long[] _malformed = new long[Enum.GetValues<WireError>().Length + 1];

    public string Path { get; } = path;

    public long Packets;
    public long Bytes;
    public long FirstTimeNs = long.MaxValue;
    public long LastTimeNs = long.MinValue;
    public long NotIp;
    public long CutBySnapLength;

    /// <summary>Packets taken out of an overlay (VXLAN, Geneve, IP-in-IP, GRE), per <see cref="Packets.TunnelKind"/>.</summary>
    public readonly long[] Tunnelled = new long[Enum.GetValues<Packets.TunnelKind>().Length];

    /// <summary>Counts one undecodable frame; true when it should still be reported as a diagnostic.</summary>
    public bool CountMalformed(WireError reason, int maxReported) => ++_malformed[(int)reason] <= maxReported;

    public void AddProblems(List<string> problems, int maxReported)
    {
        for (int i = 0; i < _malformed.Length; i++)
        {
            long count = _malformed[i];
            if (count == 0)
            {
                continue;
            }

            var reason = (WireError)i;
            problems.Add(reason == WireError.PacketUnsupportedLinkType
                ? $"{count} packets on an unsupported link type were not decoded ({reason})"
                : $"{count} packets could not be decoded ({reason}){(count > maxReported ? $"; the first {maxReported} are listed as diagnostics" : string.Empty)}");
        }

        if (CutBySnapLength > 0)
        {
            problems.Add($"{CutBySnapLength} packets were cut short by the capture's snap length; their payload was not dissected");
        }
    }

    public CaptureFileSummary ToSummary(CaptureFormat format, LinkType linkType, IReadOnlyList<string> problems) =>
        new(Path, format, linkType, Packets, Bytes, Packets > 0 ? FirstTimeNs : null, Packets > 0 ? LastTimeNs : null, problems)
        {
            Tunnels = Enumerable.Range(1, Tunnelled.Length - 1).Where(k => Tunnelled[k] > 0)
                .ToDictionary(k => (Packets.TunnelKind)k, k => Tunnelled[k]),
        };
}
