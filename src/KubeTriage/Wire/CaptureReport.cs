using KubeTriage.Capture.Files;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Wire.ReportModel;

namespace KubeTriage.Wire;

/// <summary>
/// The report's <c>capture</c> section: the JSON object of the contract (files, peers, interfaces, tcp, dns,
/// mysql, http, tls, with their field names), plus the pod's addresses and how they were found, the time
/// window, the pod's total waiting time, how many records were kept, and the engine's diagnostics.
/// Times are ISO-8601 UTC, durations seconds.
/// </summary>
public sealed record CaptureReport
{
    public IReadOnlyList<string> PodIps { get; init; } = [];

    public bool PodIpsInferred { get; init; }

    public string PodIpReason { get; init; } = string.Empty;

    public string? Start { get; init; }

    public string? End { get; init; }

    public double? DurationSeconds { get; init; }

    /// <summary>Union of the pod's waits on all peers.</summary>
    public double BusySeconds { get; init; }

    public double SlowQuerySeconds { get; init; }

    public IReadOnlyList<CaptureFileReport> Files { get; init; } = [];

    public IReadOnlyList<CapturePeerReport> Peers { get; init; } = [];

    public IReadOnlyList<CaptureInterfaceReport> Interfaces { get; init; } = [];

    public CaptureTcpReport Tcp { get; init; } = new(0, 0, 0, 0, 0, 0, 0, []);

    public IReadOnlyList<CaptureDnsReport> Dns { get; init; } = [];

    public IReadOnlyList<CaptureMySqlReport> Mysql { get; init; } = [];

    public IReadOnlyList<CaptureHttpReport> Http { get; init; } = [];

    public IReadOnlyList<CaptureTlsReport> Tls { get; init; } = [];

    public IReadOnlyList<CaptureIcmpErrorReport> IcmpErrors { get; init; } = [];

    /// <summary>Connections seen before and after destination NAT on the node (a Service address and its backend).</summary>
    public IReadOnlyList<CaptureNatReport> NatTranslations { get; init; } = [];

    /// <summary>Per kind of record: how many the capture held and how many are listed here.</summary>
    public IReadOnlyDictionary<string, RetentionCount> Retention { get; init; } = new Dictionary<string, RetentionCount>();

    public IReadOnlyList<CaptureDiagnosticReport> Diagnostics { get; init; } = [];

    public static CaptureReport From(CaptureEvidence evidence) => new()
    {
        PodIps = evidence.Pod.Ips.Select(ip => ip.ToString()).ToList(),
        PodIpsInferred = evidence.Pod.Inferred,
        PodIpReason = evidence.Pod.Reason,
        Start = evidence.StartNs is { } s ? WireText.Iso(s) : null,
        End = evidence.EndNs is { } e ? WireText.Iso(e) : null,
        DurationSeconds = evidence.WindowSeconds is { } w ? Round(w) : null,
        BusySeconds = Seconds(evidence.PodBusyNs),
        SlowQuerySeconds = Seconds(evidence.SlowQueryNs),
        Files = evidence.Files.Select(f => new CaptureFileReport(
            f.Path, FormatName(f.Format), LinkTypeName(f.LinkType), f.Packets, f.Bytes,
            f.FirstTimeNs is { } first ? WireText.Iso(first) : null,
            f.LastTimeNs is { } last ? WireText.Iso(last) : null,
            f.Problems)
        {
            Compression = f.Compression,
            TunnelledPackets = f.Tunnels.ToDictionary(t => TunnelName(t.Key), t => t.Value),
        }).ToList(),
        Peers = evidence.Peers.Select(p => new CapturePeerReport(
            p.Ip.ToString(), p.Names, p.Ports.Select(port => (int)port).ToList(), p.Protocols,
            p.Packets, p.Bytes, p.Connections, p.FailedConnections, p.Transactions,
            Seconds(p.BusyNs), Seconds(p.AnsweredBusyNs), Round(p.MeanWaitSeconds), Seconds(p.WaitMaxNs))).ToList(),
        Interfaces = evidence.Interfaces.Select(i => new CaptureInterfaceReport(
            i.Name, i.Packets, i.PodPackets, i.FromPodPackets, i.ToPodPackets, i.File)).ToList(),
        Tcp = new CaptureTcpReport(
            evidence.Tcp.Connections, evidence.Tcp.Established, evidence.Tcp.NoReply, evidence.Tcp.Refused,
            evidence.Tcp.MidStream + evidence.Tcp.HalfOpen, evidence.Tcp.Retransmissions, evidence.Tcp.Resets,
            evidence.FailedConnects.Select(c => new CaptureFailedConnectReport(
                c.Client.Address.ToString(), c.Server.Address.ToString(), c.Server.Port, c.SynAttempts, c.Outcome,
                c.Client.Port, WireText.Iso(c.FirstTimeNs), WireText.Iso(c.LastTimeNs), c.FirstFrame,
                evidence.FileOf(c), evidence.InterfaceNames(c.InterfaceIds))).ToList())
        {
            ZeroWindows = evidence.TcpZeroWindows.Select(z => new CaptureZeroWindowReport(
                z.Client.ToString(), z.Server.Address.ToString(), z.Server.Port, z.ReceiverIsServer ? "server" : "client",
                z.Connections, z.Segments, z.Stalls, z.Probes, Seconds(z.StalledNs), Seconds(z.LongestStallNs),
                WireText.Iso(z.LongestStallStartNs), z.LongestStallFrame, evidence.FileOf(z.LongestConnection), z.LongestStallUnresolved)).ToList(),
        },
        Dns = evidence.Dns.Select(t => new CaptureDnsReport(
            WireText.Iso(t.QueryTimeNs), t.Client.Address.ToString(), t.Server.Address.ToString(), t.Name,
            DnsNames.TypeName(t.QueryType), t.Rcode is { } r ? DnsNames.RcodeName(r) : null,
            t.Answers.Select(a => a.Data).ToList(), Latency(t.LatencySeconds), t.OverTcp, t.Retransmissions,
            t.QueryFrame, t.File)).ToList(),
        Mysql = evidence.MySql.Select(t => new CaptureMySqlReport(
            WireText.Iso(t.RequestTimeNs), t.Client.Address.ToString(), t.Server.Address.ToString(), t.CommandName,
            t.Query, Latency(t.LatencySeconds),
            t.Outcome == MySqlOutcome.Error ? $"{t.ErrorCode}: {t.ErrorMessage}" : null,
            t.Server.Port, t.ErrorCode, OutcomeName(t.Outcome), t.RequestFrame, t.File)).ToList(),
        Http = evidence.Http.Select(t => new CaptureHttpReport(
            WireText.Iso(t.RequestTimeNs), t.Client.Address.ToString(), t.Server.Address.ToString(), t.Host,
            t.Method, t.Path, t.Status, t.ResponseBytes, Latency(t.LatencySeconds), t.Server.Port,
            t.RequestFrame, t.File, t.Gaps,
            t.Version == HttpTransaction.Http2 ? t.Version : null, t.GrpcStatus, t.GrpcMessage, t.ResetCode,
            t.ResetCode is null ? null : t.ResetByClient ? "client" : "server", t.HeadersUnreadable)).ToList(),
        Tls = evidence.Tls.Select(t => new CaptureTlsReport(
            WireText.Iso(t.TimeNs), t.Client.Address.ToString(), t.Server.Address.ToString(), t.Sni,
            t.Server.Port, t.Frame, t.File, t.VersionName, TlsOutcomeName(t.Outcome),
            t.Outcome is TlsHandshakeOutcome.ClientAlert or TlsHandshakeOutcome.ServerAlert ? (t.Alert is { } a ? TlsAlert.Name(a) : "encrypted") : null)).ToList(),
        IcmpErrors = evidence.IcmpErrors.Select(e => new CaptureIcmpErrorReport(
            WireText.Iso(e.FirstTimeNs), e.Reporter.ToString(), e.OriginalSource.ToString(), e.OriginalDestination.Address.ToString(),
            e.OriginalDestination.Port, e.OriginalProtocol.ToString().ToLowerInvariant(), e.Description, e.Count, e.FirstFrame, e.File, e.Mtu)).ToList(),
        NatTranslations = evidence.NatTranslations.Select(t => new CaptureNatReport(t.Service.ToString(), t.Backend.ToString(), t.Connections)).ToList(),
        Retention = evidence.Retention,
        Diagnostics = evidence.DiagnosticCounts
            .OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal)
            .Select(kv => new CaptureDiagnosticReport(
                kv.Key.ToString(), kv.Value, evidence.Diagnostics.FirstOrDefault(d => d.Reason == kv.Key)?.ToString() ?? string.Empty))
            .ToList(),
    };

    public static string TunnelName(Capture.Packets.TunnelKind kind) => kind switch
    {
        Capture.Packets.TunnelKind.Vxlan => "vxlan",
        Capture.Packets.TunnelKind.Geneve => "geneve",
        Capture.Packets.TunnelKind.IpInIp => "ipip",
        Capture.Packets.TunnelKind.Gre => "gre",
        _ => "none",
    };

    public static string FormatName(CaptureFormat format) => format switch
    {
        CaptureFormat.Pcap => "pcap",
        CaptureFormat.PcapNanosecond => "pcap-nsec",
        CaptureFormat.PcapNg => "pcapng",
        _ => "unknown",
    };

    public static string LinkTypeName(LinkType linkType) => linkType switch
    {
        LinkType.Null => "null",
        LinkType.Ethernet => "ethernet",
        LinkType.Raw => "raw",
        LinkType.Loop => "loop",
        LinkType.LinuxSll => "linux_sll",
        LinkType.Ipv4 => "ipv4",
        LinkType.Ipv6 => "ipv6",
        LinkType.LinuxSll2 => "linux_sll2",
        _ => $"linktype_{(int)linkType}",
    };

    private static string OutcomeName(MySqlOutcome outcome) => outcome switch
    {
        MySqlOutcome.NoResponse => "noResponse",
        MySqlOutcome.Ok => "ok",
        MySqlOutcome.Error => "error",
        MySqlOutcome.ResultSet => "resultSet",
        MySqlOutcome.Encrypted => "encrypted",
        MySqlOutcome.Sent => "sent",
        _ => outcome.ToString(),
    };

    private static string TlsOutcomeName(TlsHandshakeOutcome outcome) => outcome switch
    {
        TlsHandshakeOutcome.Completed => "completed",
        TlsHandshakeOutcome.ClientAlert => "clientAlert",
        TlsHandshakeOutcome.ServerAlert => "serverAlert",
        TlsHandshakeOutcome.ServerNotTls => "serverNotTls",
        TlsHandshakeOutcome.ServerClosed => "serverClosed",
        _ => "unknown",
    };

    private static double Seconds(long ns) => Math.Round(ns / 1e9, 6);

    private static double Round(double seconds) => Math.Round(seconds, 6);

    private static double? Latency(double? seconds) => seconds is { } s ? Math.Round(s, 6) : null;
}
