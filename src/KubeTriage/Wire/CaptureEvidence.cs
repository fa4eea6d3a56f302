using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Wire;

/// <summary>
/// What a run over one or more captures found, from the pod's point of view: files, interfaces, the pod's
/// addresses, its peers, TCP opens, DNS/MySQL/HTTP/TLS transactions. Memory is bounded by peers and by the
/// records kept: groups (<see cref="TcpGroups"/>, <see cref="DnsGroups"/>, …) count everything, while the
/// transaction lists keep every record of a small capture and, past a limit, the failures and the slowest
/// (<see cref="Retention"/> says how many were dropped). Built by <see cref="CaptureEvidenceBuilder"/>.
/// </summary>
public sealed record CaptureEvidence
{
    public IReadOnlyList<CaptureFileSummary> Files { get; init; } = [];

    public IReadOnlyList<InterfaceEvidence> Interfaces { get; init; } = [];

    /// <summary>The capturing node's NIC subnets, when its <c>ip -j addr</c> was given (see <see cref="CaptureEvidenceOptions.NodeSubnets"/>).</summary>
    public IReadOnlyList<NodeNicSubnet> NodeSubnets { get; init; } = [];

    /// <summary>Connections seen before and after destination NAT on the node (a Service address and its backend).</summary>
    public IReadOnlyList<NatTranslation> NatTranslations { get; init; } = [];

    /// <summary>The addresses a peer stands for through NAT: the Services it was the backend of, or the backends a Service address went to.</summary>
    public IReadOnlyList<NetAddress> TranslatedPeersOf(NetAddress address) =>
        NatTranslations.Where(t => t.Backend.Address == address).Select(t => t.Service.Address)
            .Concat(NatTranslations.Where(t => t.Service.Address == address).Select(t => t.Backend.Address))
            .Distinct().ToList();

    public PodAddresses Pod { get; init; } = PodAddresses.None;

    public long? StartNs { get; init; }

    public long? EndNs { get; init; }

    public IReadOnlyList<PeerEvidence> Peers { get; init; } = [];

    /// <summary>Union of all the pod's waits on all peers (connects and transactions).</summary>
    public long PodBusyNs { get; init; }

    /// <summary>The same, leaving out connects that never got an answer.</summary>
    public long PodAnsweredBusyNs { get; init; }

    public TcpSummary Tcp { get; init; } = new();

    public IReadOnlyList<TcpConnectGroup> TcpGroups { get; init; } = [];

    public IReadOnlyList<TcpConnection> FailedConnects { get; init; } = [];

    /// <summary>Zero receive windows, per client address, server endpoint and the side that advertised them.</summary>
    public IReadOnlyList<TcpZeroWindowGroup> TcpZeroWindows { get; init; } = [];

    public IReadOnlyList<DnsQueryGroup> DnsGroups { get; init; } = [];

    /// <summary>Truncated DNS answers over UDP per client, server, name and type, and whether the client then got its answer over TCP.</summary>
    public IReadOnlyList<DnsTruncationGroup> DnsTruncations { get; init; } = [];

    public IReadOnlyList<DnsAnswerGroup> DnsAnswers { get; init; } = [];

    /// <summary>How long each server took to answer each client, over every answered DNS query.</summary>
    public IReadOnlyList<DnsLatencyGroup> DnsLatency { get; init; } = [];

    public IReadOnlyList<MySqlStatementGroup> MySqlStatements { get; init; } = [];

    public IReadOnlyList<MySqlErrorGroup> MySqlErrors { get; init; } = [];

    /// <summary>HTTP responses with an error status (400 and above), per client, server, Host and status, counted over every transaction.</summary>
    public IReadOnlyList<HttpErrorGroup> HttpErrors { get; init; } = [];

    /// <summary>gRPC calls answered with a status other than OK, per client, server, authority and gRPC status (in <see cref="HttpErrorGroup.Status"/>), counted over every call.</summary>
    public IReadOnlyList<HttpErrorGroup> GrpcErrors { get; init; } = [];

    /// <summary>ICMP errors about packets in the capture (unreachable, time exceeded), per reporter, packet and error.</summary>
    public IReadOnlyList<IcmpErrorGroup> IcmpErrors { get; init; } = [];

    /// <summary>ICMP errors about packets the pod sent to this destination endpoint.</summary>
    public IEnumerable<IcmpErrorGroup> IcmpErrorsFor(WireEndpoint destination) =>
        IcmpErrors.Where(e => e.OriginalDestination == destination && IsPod(e.OriginalSource));

    public IReadOnlyList<DnsTransaction> Dns { get; init; } = [];

    public IReadOnlyList<MySqlTransaction> MySql { get; init; } = [];

    public IReadOnlyList<HttpTransaction> Http { get; init; } = [];

    public IReadOnlyList<TlsTransaction> Tls { get; init; } = [];

    /// <summary>The ARP requests per interface and address asked for, with their replies.</summary>
    public IReadOnlyList<ArpResolution> Arp { get; init; } = [];

    /// <summary>The decided TLS handshakes per server endpoint and server name, with the failed ones by kind.</summary>
    public IReadOnlyList<TlsHandshakeGroup> TlsHandshakes { get; init; } = [];

    /// <summary>Record counts per kind: dns, mysql, http, tls, failedConnects, diagnostics, groups.</summary>
    public IReadOnlyDictionary<string, RetentionCount> Retention { get; init; } = new Dictionary<string, RetentionCount>();

    /// <summary>Bytes the engine could not read, the first few of each kind.</summary>
    public IReadOnlyList<WireDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>How many diagnostics of each reason the run reported in all.</summary>
    public IReadOnlyDictionary<WireError, long> DiagnosticCounts { get; init; } = new Dictionary<WireError, long>();

    /// <summary>The slow-query threshold the groups' slow counts were taken at.</summary>
    public long SlowQueryNs { get; init; } = 1_000_000_000;

    /// <summary>The threshold at or above which the DNS latency groups count an answer as late.</summary>
    public long SlowDnsNs { get; init; } = 1_000_000_000;

    public bool IsPod(NetAddress address) => Pod.Contains(address);

    /// <summary>
    /// The TCP groups between the pod and a peer (one side the pod, the other not). A connection seen before and after
    /// DNAT on the node is one connection: it counts under the Service address the pod asked for, not again under the backend.
    /// </summary>
    public IEnumerable<TcpConnectGroup> PodTcpGroups()
    {
        var backends = NatTranslations.Select(t => t.Backend).ToHashSet();
        return TcpGroups.Where(g => IsPod(g.Client) != IsPod(g.Server.Address) && !(IsPod(g.Client) && backends.Contains(g.Server)));
    }

    public PeerEvidence? Peer(NetAddress address) => Peers.FirstOrDefault(p => p.Ip == address);

    public InterfaceEvidence? Interface(int id) => Interfaces.FirstOrDefault(i => i.Ids.Contains(id));

    /// <summary>Maps the engine's interface ids to the file each came from (filled by the builder).</summary>
    public IReadOnlyDictionary<int, string> InterfaceFiles { get; init; } = new Dictionary<int, string>();

    /// <summary>The file a packet seen on these interfaces came from (the first one's).</summary>
    public string FileOf(IReadOnlyList<int> interfaceIds)
    {
        foreach (var id in interfaceIds)
        {
            if (InterfaceFiles.TryGetValue(id, out var file))
            {
                return file;
            }
        }

        return Files.Count == 1 ? Files[0].Path : string.Empty;
    }

    /// <summary>The file a connection's first packet came from.</summary>
    public string FileOf(TcpConnection connection) =>
        string.IsNullOrEmpty(connection.File) ? FileOf(connection.InterfaceIds) : connection.File;

    /// <summary>The interface names these ids stand for, distinct, in order.</summary>
    public IReadOnlyList<string> InterfaceNames(IEnumerable<int> interfaceIds) =>
        interfaceIds.Select(Interface).Where(i => i is not null).Select(i => i!.Name).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The names a peer address was known by, or an empty list.</summary>
    public IReadOnlyList<string> NamesOf(NetAddress address) => Peer(address)?.Names ?? [];

    /// <summary>"203.0.113.94 (www.example.com)" or the bare address.</summary>
    public string Describe(NetAddress address) => Peer(address)?.Display ?? address.ToString();

    public double? WindowSeconds => StartNs is { } s && EndNs is { } e ? (e - s) / 1e9 : null;
}
