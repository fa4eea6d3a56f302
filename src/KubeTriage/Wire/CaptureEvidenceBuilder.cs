using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KubeTriage.Capture;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Wire.Building;

namespace KubeTriage.Wire;

/// <summary>
/// Turns the engine's stream of packets, connections and transactions into <see cref="CaptureEvidence"/>.
/// <see cref="OnPacket"/> only updates counters keyed by structs (interface and address pair), so it does
/// not allocate once an address pair has been seen; everything else is counted into groups keyed by peer,
/// name or statement shape, and transactions are kept up to the limits of <see cref="CaptureEvidenceOptions"/>.
/// The pod's addresses may be unknown until the end (they are then inferred in <see cref="Build"/>), so
/// everything is kept per address pair and turned into the pod's point of view at the end.
/// </summary>
public sealed partial class CaptureEvidenceBuilder : ICaptureSink
{
    private const int MaxNamesPerAddress = 16;

    /// <summary>Client SYNs remembered to pair a connection's views before and after DNAT (see <see cref="NoteTranslation"/>).</summary>
    private const int MaxSynsRemembered = 20_000;

    private readonly CaptureEvidenceOptions _options;
    private readonly long _slowNs;
    private readonly long _slowDnsNs;
    private readonly Dictionary<PacketKey, PacketCounter> _packets = new(FastKeyComparer.Instance);
    private readonly List<CaptureInterface> _interfaces = [];
    private readonly List<CaptureFileSummary> _files = [];
    private readonly Dictionary<string, CaptureFileInfo> _fileInfos = new(StringComparer.Ordinal);
    private readonly Dictionary<AddressPair, PairStats> _pairs = new(FastKeyComparer.Instance);
    private readonly Dictionary<NetAddress, InitiatorCounts> _initiators = [];
    private readonly Dictionary<NetAddress, HashSet<string>> _names = [];
    private readonly Dictionary<(NetAddress Client, WireEndpoint Server), TcpGroupAccumulator> _tcpGroups = [];
    private readonly Dictionary<(NetAddress Client, WireEndpoint Server, bool ReceiverIsServer), TcpZeroWindowAccumulator> _zeroWindows = [];
    private readonly Dictionary<DnsGroupKey, DnsGroupAccumulator> _dnsGroups = [];
    private readonly Dictionary<DnsAnswerKey, DnsAnswerAccumulator> _dnsAnswers = [];
    private readonly Dictionary<AddressPair, DnsLatencyAccumulator> _dnsLatency = new(FastKeyComparer.Instance);
    private readonly Dictionary<string, NetAddress> _answerAddresses = new(StringComparer.Ordinal);
    private readonly List<string> _answerScratch = [];
    private readonly Dictionary<(WireEndpoint Server, string Shape), MySqlStatementAccumulator> _statements = [];
    private readonly Dictionary<(WireEndpoint Server, ushort Code), MySqlErrorAccumulator> _mysqlErrors = [];
    private readonly Dictionary<HttpServerKey, HttpResponseAccumulator> _httpResponses = [];
    private readonly Dictionary<HttpServerKey, HttpResponseAccumulator> _grpcResponses = [];
    private readonly Dictionary<(NetAddress Client, WireEndpoint Server, string Sni), TlsHandshakeAccumulator> _tlsHandshakes = [];
    private readonly Dictionary<(NetAddress Client, NetAddress Server, string Name, ushort Type), DnsTruncationAccumulator> _truncated = [];
    private readonly Dictionary<ConnectionKey, TlsTransaction> _tlsUnanswered = [];
    private readonly List<ArpResolution> _arp = [];
    private readonly Dictionary<(NetAddress Client, string Name, ushort Type), List<(long TimeNs, bool Answered)>> _dnsOverTcp = [];
    private readonly Dictionary<IcmpErrorKey, IcmpErrorCounter> _icmpErrors = [];
    private readonly Dictionary<(WireEndpoint Client, uint Isn), (WireEndpoint Server, long FirstTimeNs, long FirstFrame)> _syns = [];
    private readonly Queue<(WireEndpoint Client, uint Isn)> _synOrder = new();
    private readonly Dictionary<(WireEndpoint Service, WireEndpoint Backend), long> _translations = [];
    private readonly Dictionary<ConnectionKey, UnansweredRequest> _unanswered = new(FastKeyComparer.Instance);
    private readonly Dictionary<WireError, long> _diagnosticCounts = [];
    private readonly List<WireDiagnostic> _diagnostics = [];
    private readonly QueryShapeCache _shapes;
    private readonly TransactionKeeper<TcpConnection> _failedConnects;
    private readonly TransactionKeeper<DnsTransaction> _dns;
    private readonly TransactionKeeper<MySqlTransaction> _mysql;
    private readonly TransactionKeeper<HttpTransaction> _http;
    private readonly TransactionKeeper<TlsTransaction> _tls;
    private TcpCounts _tcp;
    private long _firstNs = long.MaxValue;
    private long _lastNs = long.MinValue;
    private long _droppedGroups;
    private int _httpErrorGroups;

    public CaptureEvidenceBuilder(CaptureEvidenceOptions? options = null)
    {
        _options = options ?? new CaptureEvidenceOptions();
        _slowNs = _options.SlowQueryMs * 1_000_000L;
        _slowDnsNs = _options.SlowDnsMs * 1_000_000L;
        _shapes = new QueryShapeCache(_options.MaxGroups);
        var o = _options;
        _failedConnects = new(o.KeepFailures, o.KeepFailures, 0, _ => true, c => c.LastTimeNs - c.FirstTimeNs, c => c.FirstTimeNs);
        _dns = new(o.KeepAll, o.KeepFailures, o.KeepSlowest,
            t => t.Rcode is not (null or DnsNames.RcodeNoError) || t.ResponseTimeNs is null,
            t => t.ResponseTimeNs is { } r ? r - t.QueryTimeNs : 0, t => t.QueryTimeNs);
        _mysql = new(o.KeepAll, o.KeepFailures, o.KeepSlowest,
            t => t.Outcome is MySqlOutcome.Error or MySqlOutcome.NoResponse || t.ResponseTimeNs - t.RequestTimeNs >= _slowNs,
            t => t.ResponseTimeNs is { } r ? r - t.RequestTimeNs : 0, t => t.RequestTimeNs);
        _http = new(o.KeepAll, o.KeepFailures, o.KeepSlowest,
            t => t.Status is null or >= 500,
            t => t.LastByteTimeNs is { } r ? r - t.RequestTimeNs : 0, t => t.RequestTimeNs);
        _tls = new(o.KeepAll, o.KeepFailures, 0, t => t.Failed, _ => 0, t => t.TimeNs);
    }

    public void OnFileStart(CaptureFileInfo file) => _fileInfos[file.Path] = file;

    public void OnInterface(CaptureInterface captureInterface) => _interfaces.Add(captureInterface);

    public void OnPacket(in PacketMeta packet)
    {
        ref var counter = ref CollectionsMarshal.GetValueRefOrAddDefault(
            _packets, new PacketKey(packet.InterfaceId, packet.Source, packet.Destination), out _);
        counter.Packets++;
        counter.Bytes += packet.IpLength;
        counter.Transports |= packet.Protocol switch
        {
            IpProtocol.Tcp => PacketCounter.Tcp,
            IpProtocol.Udp => PacketCounter.Udp,
            IpProtocol.Icmp or IpProtocol.Icmpv6 => PacketCounter.Icmp,
            _ => 0,
        };
        if (packet.EmbeddedProtocol is { } embedded)
        {
            CountIcmpError(in packet, embedded);
        }

        if (packet.TimeNs < _firstNs)
        {
            _firstNs = packet.TimeNs;
        }

        if (packet.TimeNs > _lastNs)
        {
            _lastNs = packet.TimeNs;
        }
    }

    private void CountIcmpError(in PacketMeta packet, IpProtocol embedded)
    {
        var key = new IcmpErrorKey(packet.InterfaceId, packet.Source, packet.EmbeddedSource.Address, packet.EmbeddedDestination, embedded,
            packet.IcmpType, packet.IcmpCode, packet.Protocol == IpProtocol.Icmpv6);
        ref var counter = ref CollectionsMarshal.GetValueRefOrAddDefault(_icmpErrors, key, out var exists);
        if (!exists)
        {
            counter.FirstTimeNs = packet.TimeNs;
            counter.FirstFrame = packet.Frame;
        }

        counter.Count++;
        if (packet.IcmpMtu != 0 && (counter.SmallestMtu == 0 || packet.IcmpMtu < counter.SmallestMtu))
        {
            counter.SmallestMtu = packet.IcmpMtu;
        }
    }

    public void OnTcpTurn(in TcpTurn turn) => Pair(turn.Client.Address, turn.Server.Address).TurnWaits.Add(turn.StartNs, turn.EndNs);

    public void OnTcpConnection(TcpConnection connection)
    {
        ResolveUnansweredHello(connection);
        // The second view of one connection through DNAT (the backend after the Service address) is the same
        // connection: the peers each count theirs, the capture's totals and the pod's opens count it once.
        bool secondView = connection.ClientInitialSequence is { } isn && NoteTranslation(connection, isn);
        if (!secondView)
        {
            _tcp.Add(connection);
            ref var initiator = ref CollectionsMarshal.GetValueRefOrAddDefault(_initiators, connection.Client.Address, out _);
            if (connection.Outcome is TcpOutcome.MidStream or TcpOutcome.HalfOpen)
            {
                initiator.MidStreamConnections++;
            }
            else
            {
                initiator.Connections++;
            }
        }

        var pair = Pair(connection.Client.Address, connection.Server.Address);
        pair.Connections++;
        pair.AddPort(connection.Server.Port);
        pair.AddProtocol("tcp");
        pair.AddProtocol(connection.Protocol);
        AddConnectionWaits(pair, connection);

        if (connection.Outcome is TcpOutcome.NoReply or TcpOutcome.Refused)
        {
            pair.FailedConnections++;
            _failedConnects.Add(connection);
        }

        if (connection.ClientZeroWindow.Segments > 0)
        {
            AddZeroWindows(connection, receiverIsServer: false);
        }

        if (connection.ServerZeroWindow.Segments > 0)
        {
            AddZeroWindows(connection, receiverIsServer: true);
        }

        // The connection's transactions came before its record: what it left unanswered is known now, and no longer needed.
        UnansweredRequest? request = _unanswered.Count > 0 && _unanswered.Remove(new ConnectionKey(connection.Client, connection.Server), out var unanswered) ? unanswered : null;
        var key = (connection.Client.Address, connection.Server);
        if (!_tcpGroups.TryGetValue(key, out var group))
        {
            if (_tcpGroups.Count >= _options.MaxGroups)
            {
                _droppedGroups++;
                return;
            }

            group = new TcpGroupAccumulator(key.Address, key.Server);
            _tcpGroups[key] = group;
        }

        group.Add(connection, request);
    }

    private void AddZeroWindows(TcpConnection connection, bool receiverIsServer)
    {
        var key = (connection.Client.Address, connection.Server, receiverIsServer);
        if (!_zeroWindows.TryGetValue(key, out var group))
        {
            if (_zeroWindows.Count >= _options.MaxGroups)
            {
                _droppedGroups++;
                return;
            }

            group = new TcpZeroWindowAccumulator(key.Address, key.Server, receiverIsServer);
            _zeroWindows[key] = group;
        }

        group.Add(connection);
    }

    /// <summary>
    /// The same client SYN (address, port, initial sequence) to two servers is one connection before and after
    /// DNAT on the node: the one seen first was addressed to the Service. Records arrive as connections end, and
    /// the two views of one end together, so only the most recent <see cref="MaxSynsRemembered"/> are kept.
    /// Returns true when <paramref name="connection"/> is the second view of a connection already counted.
    /// </summary>
    private bool NoteTranslation(TcpConnection connection, uint isn)
    {
        var key = (connection.Client, isn);
        if (!_syns.TryGetValue(key, out var seen))
        {
            _syns[key] = (connection.Server, connection.FirstTimeNs, connection.FirstFrame);
            _synOrder.Enqueue(key);
            if (_synOrder.Count > MaxSynsRemembered)
            {
                _syns.Remove(_synOrder.Dequeue());
            }

            return false;
        }

        if (seen.Server == connection.Server)
        {
            return false;
        }

        bool seenFirst = seen.FirstTimeNs < connection.FirstTimeNs || (seen.FirstTimeNs == connection.FirstTimeNs && seen.FirstFrame <= connection.FirstFrame);
        var pair = seenFirst ? (seen.Server, connection.Server) : (connection.Server, seen.Server);
        if (_translations.Count < _options.MaxGroups || _translations.ContainsKey(pair))
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_translations, pair, out _)++;
        }

        return true;
    }

    public void OnUdpFlow(UdpFlow flow)
    {
        var pair = Pair(flow.Client.Address, flow.Server.Address);
        pair.AddPort(flow.Server.Port);
        pair.AddProtocol("udp");
        pair.AddProtocol(flow.Protocol);
    }

    public void OnDns(DnsTransaction transaction)
    {
        _dns.Add(transaction);
        ref var initiator = ref CollectionsMarshal.GetValueRefOrAddDefault(_initiators, transaction.Client.Address, out _);
        initiator.DnsQueries++;

        var pair = Pair(transaction.Client.Address, transaction.Server.Address);
        pair.Transactions++;
        pair.AddPort(transaction.Server.Port);
        pair.AddProtocol(transaction.OverTcp ? "tcp" : "udp");
        pair.AddProtocol("dns");
        if (transaction.ResponseTimeNs is { } response)
        {
            // From the question's first send: a re-send from a new port is still the one wait.
            pair.AddTransactionWait(transaction.FirstSentNs, response);
        }

        var name = DnsNames.Normalize(transaction.Name);
        var key = new DnsGroupKey(transaction.Client.Address, transaction.Server.Address, name, transaction.QueryType, transaction.Rcode ?? -1);
        if (!_dnsGroups.TryGetValue(key, out var group))
        {
            if (_dnsGroups.Count >= _options.MaxGroups)
            {
                _droppedGroups++;
            }
            else
            {
                group = new DnsGroupAccumulator(key, transaction);
                _dnsGroups[key] = group;
            }
        }

        group?.Add(transaction);
        if (transaction.Rcode == DnsNames.RcodeNoError)
        {
            AddAnswers(transaction, name);
        }

        if (transaction.ResponseTimeNs is not null)
        {
            CountAnswer(transaction);
        }

        NoteTruncation(transaction, name);
    }

    /// <summary>
    /// Truncated UDP answers are counted per client, server, name and type; questions over TCP are remembered per client,
    /// name and type (a few each), so that the build can say whether the client asked again over TCP and got an answer.
    /// </summary>
    private void NoteTruncation(DnsTransaction transaction, string name)
    {
        if (transaction.OverTcp)
        {
            var asked = (transaction.Client.Address, name, transaction.QueryType);
            if (!_dnsOverTcp.TryGetValue(asked, out var times))
            {
                if (_dnsOverTcp.Count >= _options.MaxGroups)
                {
                    _droppedGroups++;
                    return;
                }

                times = [];
                _dnsOverTcp[asked] = times;
            }

            if (times.Count < 16)
            {
                times.Add((transaction.QueryTimeNs, transaction.ResponseTimeNs is not null));
            }

            return;
        }

        if (!transaction.Truncated)
        {
            return;
        }

        var key = (transaction.Client.Address, transaction.Server.Address, name, transaction.QueryType);
        if (!_truncated.TryGetValue(key, out var truncated))
        {
            if (GroupCount() >= _options.MaxGroups)
            {
                _droppedGroups++;
                return;
            }

            truncated = new DnsTruncationAccumulator();
            _truncated[key] = truncated;
        }

        truncated.Add(transaction);
    }

    /// <summary>Every answered query counts in its client's and server's waits, whether or not the transaction itself is kept.</summary>
    private void CountAnswer(DnsTransaction transaction)
    {
        var key = new AddressPair(transaction.Client.Address, transaction.Server.Address);
        if (!_dnsLatency.TryGetValue(key, out var latency))
        {
            if (_dnsLatency.Count >= _options.MaxGroups)
            {
                _droppedGroups++;
                return;
            }

            latency = new DnsLatencyAccumulator(key);
            _dnsLatency[key] = latency;
        }

        latency.Add(transaction, _slowDnsNs);
    }

    public void OnMySql(MySqlTransaction transaction)
    {
        _mysql.Add(transaction);
        if (transaction.Outcome is MySqlOutcome.NoResponse)
        {
            var sql = transaction.Query is { Length: > 0 } query ? $" {Shorten(query)}" : string.Empty;
            NoteUnanswered(transaction.Client, transaction.Server, new($"mysql {transaction.CommandName}{sql}", false, transaction.RequestTimeNs, transaction.RequestFrame));
        }
        else if (transaction.Command == MySqlCommand.Quit)
        {
            NoteUnanswered(transaction.Client, transaction.Server, new(null, true, transaction.RequestTimeNs, transaction.RequestFrame));
        }

        var pair = Pair(transaction.Client.Address, transaction.Server.Address);
        pair.Transactions++;
        pair.AddPort(transaction.Server.Port);
        pair.AddProtocol("mysql");
        if (transaction.ResponseTimeNs is not { } response)
        {
            return;
        }

        var latency = response - transaction.RequestTimeNs;
        pair.AddTransactionWait(transaction.RequestTimeNs, response);
        if (transaction.Outcome is MySqlOutcome.Error && transaction.ErrorCode is { } code)
        {
            var errorKey = (transaction.Server, code);
            if (!_mysqlErrors.TryGetValue(errorKey, out var errors))
            {
                if (_mysqlErrors.Count >= _options.MaxGroups)
                {
                    _droppedGroups++;
                    return;
                }

                errors = new MySqlErrorAccumulator(transaction.Server, code, transaction);
                _mysqlErrors[errorKey] = errors;
            }

            errors.Add(transaction);
            return;
        }

        if (transaction.Outcome is MySqlOutcome.Encrypted || MySqlErrorAccumulator.IsLogin(transaction))
        {
            return;
        }

        var shape = _shapes.Of(transaction.Query, transaction.CommandName);
        var key = (transaction.Server, shape);
        if (!_statements.TryGetValue(key, out var statement))
        {
            if (_statements.Count >= _options.MaxGroups)
            {
                _droppedGroups++;
                return;
            }

            statement = new MySqlStatementAccumulator(transaction.Server, shape, transaction.CommandName);
            _statements[key] = statement;
        }

        statement.Add(transaction, latency, _slowNs);
    }

    public void OnHttp(HttpTransaction transaction)
    {
        _http.Add(transaction);
        if (transaction.Status is null && transaction.ResetCode is null)
        {
            // An HTTP/2 stream that a reset or a GOAWAY ended was not left waiting: it was answered that way.
            NoteUnanswered(transaction.Client, transaction.Server,
                new($"HTTP {transaction.Method} {Shorten(transaction.Path)}", false, transaction.RequestTimeNs, transaction.RequestFrame));
        }

        var pair = Pair(transaction.Client.Address, transaction.Server.Address);
        pair.Transactions++;
        pair.AddPort(transaction.Server.Port);
        pair.AddProtocol(transaction.Grpc ? "grpc" : transaction.Version == HttpTransaction.Http2 ? "http2" : "http");
        if (transaction.LastByteTimeNs is { } last)
        {
            pair.AddTransactionWait(transaction.RequestTimeNs, last);
        }
        else if (transaction is { ResetByClient: true, ResetTimeNs: { } cancelled })
        {
            // An HTTP/2 call the client cancelled unanswered (its deadline): it waited until then.
            pair.AddTransactionWait(transaction.RequestTimeNs, cancelled);
        }

        if (HostName(transaction.Host) is { } host)
        {
            AddName(transaction.Server.Address, host);
        }

        if (transaction.Status is { } status)
        {
            CountResponse(_httpResponses, transaction, status, 400);
        }

        if (transaction.GrpcStatus is { } grpc)
        {
            CountResponse(_grpcResponses, transaction, grpc, 1);
        }
        else if (transaction is { Grpc: true, Status: null, ResetByClient: true, ResetCode: Http2ErrorText.Cancel })
        {
            CountResponse(_grpcResponses, transaction, GrpcStatusText.CancelledUnanswered, 1);
        }
        else if (transaction is { Grpc: true, Status: not null, ResetCode: null, HeadersUnreadable: true })
        {
            CountResponse(_grpcResponses, transaction, GrpcStatusText.Unreadable, 1);
        }
    }

    /// <summary>
    /// Every answered request is counted per client, server and Host, and per error status, whether or not the
    /// transaction itself is kept, so a finding can say "12 of 40". Requests without an answer are not responses.
    /// HTTP statuses and gRPC statuses (<paramref name="firstError"/> 1: every status but OK) are counted apart.
    /// </summary>
    private void CountResponse(Dictionary<HttpServerKey, HttpResponseAccumulator> counts, HttpTransaction transaction, int status, int firstError)
    {
        var key = new HttpServerKey(transaction.Client.Address, transaction.Server, transaction.Host ?? string.Empty);
        if (!counts.TryGetValue(key, out var responses))
        {
            if (_httpResponses.Count + _grpcResponses.Count + _httpErrorGroups >= _options.MaxGroups)
            {
                _droppedGroups++;
                return;
            }

            responses = new HttpResponseAccumulator(key, firstError);
            counts[key] = responses;
        }

        var before = responses.ErrorStatuses;
        if (!responses.Add(transaction, status, _httpResponses.Count + _grpcResponses.Count + _httpErrorGroups < _options.MaxGroups))
        {
            _droppedGroups++;
            return;
        }

        _httpErrorGroups += responses.ErrorStatuses - before;
    }

    /// <summary>
    /// Remembers the last request a connection left unanswered (or its COM_QUIT) until the connection's record arrives.
    /// Only open connections with such a request are held, at most <see cref="CaptureEvidenceOptions.MaxGroups"/> of them.
    /// </summary>
    private void NoteUnanswered(WireEndpoint client, WireEndpoint server, UnansweredRequest request)
    {
        var key = new ConnectionKey(client, server);
        if (_unanswered.Count < _options.MaxGroups)
        {
            _unanswered[key] = request;
        }
        else
        {
            ref var held = ref CollectionsMarshal.GetValueRefOrNullRef(_unanswered, key);
            if (!Unsafe.IsNullRef(ref held))
            {
                held = request;
            }
        }
    }

    /// <summary>A request's SQL or path as an evidence line quotes it: one line, at most 120 characters.</summary>
    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 120 ? line : string.Concat(line.AsSpan(0, 119), "…");
    }

    public void OnTls(TlsTransaction transaction)
    {
        if (transaction.Outcome is TlsHandshakeOutcome.Unknown or TlsHandshakeOutcome.ClientAlert && !transaction.ServerAnswered
            && _tlsUnanswered.Count < _options.MaxGroups)
        {
            // The server said nothing after the ClientHello: how the connection ended (its record comes next) tells
            // whether the server closed on it (a client's alert then only answers the close).
            _tlsUnanswered[new ConnectionKey(transaction.Client, transaction.Server)] = transaction;
        }
        else
        {
            KeepHandshake(transaction);
        }

        var pair = Pair(transaction.Client.Address, transaction.Server.Address);
        pair.AddPort(transaction.Server.Port);
        pair.AddProtocol("tls");
        if (HostName(transaction.Sni) is { } sni)
        {
            AddName(transaction.Server.Address, sni);
        }
    }

    private void KeepHandshake(TlsTransaction transaction)
    {
        _tls.Add(transaction);
        CountHandshake(transaction);
    }

    /// <summary>
    /// A ClientHello the server never answered, held until its connection's record: a server that reset the connection,
    /// or closed it with a FIN, without sending anything closed on the ClientHello.
    /// </summary>
    private void ResolveUnansweredHello(TcpConnection connection)
    {
        if (_tlsUnanswered.Count == 0 || !_tlsUnanswered.Remove(new ConnectionKey(connection.Client, connection.Server), out var hello))
        {
            return;
        }

        if (connection.BytesToClient == 0 && (connection.FirstResetByServer || connection is { ServerClosedFirst: true, ServerFinNs: not null }))
        {
            var endNs = connection.FirstResetByServer ? connection.FirstResetNs!.Value : connection.ServerFinNs ?? connection.LastTimeNs;
            hello = hello with
            {
                Outcome = TlsHandshakeOutcome.ServerClosed,
                Alert = null,
                EndNs = endNs,
                EndFrame = connection.FirstResetByServer ? connection.FirstResetFrame : connection.ServerFinFrame,
            };
        }

        KeepHandshake(hello);
    }

    /// <summary>Every decided handshake is counted per server endpoint and server name, kept or not, so a finding can say "3 of 3".</summary>
    private void CountHandshake(TlsTransaction transaction)
    {
        if (transaction.Outcome == TlsHandshakeOutcome.Unknown)
        {
            return;
        }

        var key = (transaction.Client.Address, transaction.Server, transaction.Sni ?? string.Empty);
        if (!_tlsHandshakes.TryGetValue(key, out var handshakes))
        {
            if (GroupCount() >= _options.MaxGroups)
            {
                _droppedGroups++;
                return;
            }

            handshakes = new TlsHandshakeAccumulator(key.Item1, key.Item2, key.Item3);
            _tlsHandshakes[key] = handshakes;
        }

        handshakes.Add(transaction);
    }

    public void OnArp(ArpResolution resolution) => _arp.Add(resolution);

    public void OnDiagnostic(WireDiagnostic diagnostic)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_diagnosticCounts, diagnostic.Reason, out _);
        count++;
        if (count <= _options.DiagnosticsPerReason)
        {
            _diagnostics.Add(diagnostic);
        }
    }

    public void OnFileEnd(CaptureFileSummary summary) => _files.Add(summary);

    private PairStats Pair(NetAddress client, NetAddress server)
    {
        ref var stats = ref CollectionsMarshal.GetValueRefOrAddDefault(_pairs, new AddressPair(client, server), out _);
        return stats ??= new PairStats();
    }

    /// <summary>
    /// The client's wait to connect: first SYN to SYN-ACK, or to the last SYN when nothing came back, or to
    /// the RST. Request/response waits come from the engine's turns (<see cref="TcpTurn"/>) and transactions.
    /// </summary>
    private static void AddConnectionWaits(PairStats pair, TcpConnection connection)
    {
        var lastSyn = connection.SynTimesNs.Count > 0 ? connection.SynTimesNs[^1] : connection.FirstTimeNs;
        switch (connection.Outcome)
        {
            case TcpOutcome.NoReply:
                pair.AddWait(connection.FirstTimeNs, Math.Max(lastSyn, connection.LastTimeNs), answered: false);
                break;
            case TcpOutcome.Refused:
                pair.AddWait(connection.FirstTimeNs, connection.LastTimeNs, answered: true);
                break;
            case TcpOutcome.Established when connection.SynAttempts > 0 && connection.HandshakeRttNs is { } rtt:
                pair.AddWait(connection.FirstTimeNs, lastSyn + rtt, answered: true);
                break;
        }
    }

    private void AddAnswers(DnsTransaction transaction, string name)
    {
        var addresses = _answerScratch;
        addresses.Clear();
        var answers = transaction.Answers;

        // By index: a foreach over the interface would box an enumerator for every transaction.
        for (var i = 0; i < answers.Count; i++)
        {
            var answer = answers[i];
            if (!DnsNames.IsAddressType(answer.Type) || !TryParseAnswer(answer.Data, out var address))
            {
                continue;
            }

            addresses.Add(answer.Data);
            AddName(address, name);
            var owner = DnsNames.Normalize(answer.Name);
            if (owner != name)
            {
                AddName(address, owner);
            }
        }

        if (addresses.Count == 0)
        {
            return;
        }

        CollectionsMarshal.AsSpan(addresses).Sort(string.CompareOrdinal);
        var answeredNs = transaction.ResponseTimeNs ?? transaction.QueryTimeNs;
        var probe = new DnsAnswerKey(name, transaction.Server.Address, transaction.QueryType, addresses);
        if (_dnsAnswers.TryGetValue(probe, out var seen))
        {
            seen.Add(transaction, answeredNs);
            return;
        }

        if (_dnsAnswers.Count >= _options.MaxGroups)
        {
            _droppedGroups++;
            return;
        }

        var key = new DnsAnswerKey(name, transaction.Server.Address, transaction.QueryType, addresses.ToArray());
        _dnsAnswers[key] = new DnsAnswerAccumulator(key, transaction, answeredNs);
    }

    /// <summary>An answer's address; the same few addresses come back in every answer, so each is parsed once.</summary>
    private bool TryParseAnswer(string data, out NetAddress address)
    {
        if (_answerAddresses.TryGetValue(data, out address))
        {
            return true;
        }

        if (!NetAddress.TryParse(data, out address))
        {
            return false;
        }

        if (_answerAddresses.Count < _options.MaxGroups)
        {
            _answerAddresses[data] = address;
        }

        return true;
    }

    private void AddName(NetAddress address, string name)
    {
        if (!_names.TryGetValue(address, out var names))
        {
            if (_names.Count >= _options.MaxGroups)
            {
                return;
            }

            names = new HashSet<string>(StringComparer.Ordinal);
            _names[address] = names;
        }

        if (names.Count < MaxNamesPerAddress)
        {
            names.Add(name);
        }
    }

    /// <summary>A Host header or SNI as a DNS name: lower case, port and trailing dot removed; null for IP literals.</summary>
    internal static string? HostName(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var h = host.Trim();
        if (h.StartsWith('['))
        {
            return null;
        }

        var colon = h.LastIndexOf(':');
        if (colon > 0 && h.IndexOf(':') == colon)
        {
            h = h[..colon];
        }

        if (NetAddress.TryParse(h, out _))
        {
            return null;
        }

        return h.Length == 0 ? null : DnsNames.Normalize(h);
    }
}
