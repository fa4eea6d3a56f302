using KubeTriage.Capture.Primitives;
using KubeTriage.Wire.Building;

namespace KubeTriage.Wire;

public sealed partial class CaptureEvidenceBuilder
{
    /// <summary>The evidence of everything the sink was told so far, from the pod's point of view.</summary>
    public CaptureEvidence Build()
    {
        // ClientHellos whose connection's record never came (not expected: every connection ends with one) are kept as they are.
        foreach (var hello in _tlsUnanswered.Values)
        {
            KeepHandshake(hello);
        }

        _tlsUnanswered.Clear();
        var pod = ResolvePod();
        long? start = _firstNs == long.MaxValue ? null : _firstNs;
        long? end = _lastNs == long.MinValue ? null : _lastNs;
        foreach (var file in _files)
        {
            if (file.FirstTimeNs is { } f)
            {
                start = start is { } s ? Math.Min(s, f) : f;
            }

            if (file.LastTimeNs is { } l)
            {
                end = end is { } e ? Math.Max(e, l) : l;
            }
        }

        var (peers, busy, answeredBusy) = BuildPeers(pod);
        var retention = new Dictionary<string, RetentionCount>(StringComparer.Ordinal)
        {
            ["failedConnects"] = _failedConnects.Count(),
            ["dns"] = _dns.Count(),
            ["mysql"] = _mysql.Count(),
            ["http"] = _http.Count(),
            ["tls"] = _tls.Count(),
            ["diagnostics"] = new(_diagnosticCounts.Values.Sum(), _diagnostics.Count),
            ["groups"] = new(GroupCount() + _droppedGroups, GroupCount()),
        };

        return new CaptureEvidence
        {
            Files = _files.ToList(),
            Interfaces = BuildInterfaces(pod),
            NodeSubnets = _options.NodeSubnets,
            InterfaceFiles = _interfaces.GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First().FilePath),
            Pod = pod,
            StartNs = start,
            EndNs = end,
            Peers = peers,
            PodBusyNs = busy,
            PodAnsweredBusyNs = answeredBusy,
            Tcp = _tcp.ToSummary(),
            TcpGroups = _tcpGroups.Values.Select(g => g.Build())
                .OrderBy(g => g.Server.Address, AddressOrder.Instance).ThenBy(g => g.Server.Port)
                .ThenBy(g => g.Client, AddressOrder.Instance).ToList(),
            FailedConnects = _failedConnects.Kept(),
            TcpZeroWindows = _zeroWindows.Values.Select(g => g.Build())
                .OrderBy(g => g.Server.Address, AddressOrder.Instance).ThenBy(g => g.Server.Port)
                .ThenBy(g => g.Client, AddressOrder.Instance).ThenBy(g => g.ReceiverIsServer).ToList(),
            DnsGroups = _dnsGroups.Values.Select(g => g.Build(end, _options.CaptureEndGraceNs))
                .OrderBy(g => g.FirstTimeNs).ThenBy(g => g.Name, StringComparer.Ordinal).ThenBy(g => g.Type)
                .ThenBy(g => g.Server, AddressOrder.Instance).ThenBy(g => g.Rcode ?? -1).ToList(),
            DnsLatency = _dnsLatency.Values.Select(l => l.Build())
                .OrderBy(l => l.Server, AddressOrder.Instance).ThenBy(l => l.Client, AddressOrder.Instance).ToList(),
            DnsAnswers = _dnsAnswers.Values.Select(a => a.Build())
                .OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.FirstTimeNs).ThenBy(a => a.Server, AddressOrder.Instance).ToList(),
            MySqlStatements = _statements.Values.Select(s => s.Build())
                .OrderByDescending(s => s.SlowTotalNs).ThenByDescending(s => s.TotalNs).ThenBy(s => s.Shape, StringComparer.Ordinal).ToList(),
            NatTranslations = _translations
                .Select(t => new NatTranslation(t.Key.Service, t.Key.Backend, t.Value))
                .OrderBy(t => t.Service.Address, AddressOrder.Instance).ThenBy(t => t.Service.Port)
                .ThenBy(t => t.Backend.Address, AddressOrder.Instance).ThenBy(t => t.Backend.Port).ToList(),
            MySqlErrors = _mysqlErrors.Values.Select(e => e.Build())
                .OrderBy(e => e.FirstTimeNs).ThenBy(e => e.Code).ToList(),
            HttpErrors = ErrorGroups(_httpResponses),
            GrpcErrors = ErrorGroups(_grpcResponses),
            IcmpErrors = _icmpErrors
                .GroupBy(kv => kv.Key with { Interface = 0 })
                .Select(g =>
                {
                    // The same errors seen on several interfaces: count them once, cite the first seen.
                    var first = g.MinBy(kv => kv.Value.FirstTimeNs);
                    return new IcmpErrorGroup
                    {
                        Reporter = g.Key.Reporter,
                        OriginalSource = g.Key.OriginalSource,
                        OriginalDestination = g.Key.OriginalDestination,
                        OriginalProtocol = g.Key.OriginalProtocol,
                        Type = g.Key.Type,
                        Code = g.Key.Code,
                        IsV6 = g.Key.IsV6,
                        Count = g.Max(kv => kv.Value.Count),
                        FirstTimeNs = first.Value.FirstTimeNs,
                        FirstFrame = first.Value.FirstFrame,
                        Mtu = g.Select(kv => kv.Value.SmallestMtu).Where(m => m != 0).Select(m => (int?)m).Min(),
                        File = _interfaces.FirstOrDefault(i => i.Id == first.Key.Interface)?.FilePath ?? string.Empty,
                    };
                })
                .OrderBy(g => g.FirstTimeNs).ThenBy(g => g.Reporter, AddressOrder.Instance).ToList(),
            Dns = _dns.Kept(),
            MySql = _mysql.Kept(),
            Http = _http.Kept(),
            Tls = _tls.Kept(),
            DnsTruncations = _truncated
                .Select(t => t.Value.Build(t.Key.Client, t.Key.Server, t.Key.Name, t.Key.Type,
                    _dnsOverTcp.TryGetValue((t.Key.Client, t.Key.Name, t.Key.Type), out var asked) ? asked : []))
                .OrderBy(g => g.FirstTimeNs).ThenBy(g => g.Name, StringComparer.Ordinal).ThenBy(g => g.QueryType).ToList(),
            Arp = _arp.OrderBy(a => a.FirstRequestNs).ToList(),
            TlsHandshakes = _tlsHandshakes.Values.Select(h => h.Build())
                .OrderBy(h => h.Server.Address, AddressOrder.Instance).ThenBy(h => h.Server.Port).ThenBy(h => h.Sni, StringComparer.OrdinalIgnoreCase).ThenBy(h => h.Client, AddressOrder.Instance).ToList(),
            Retention = retention,
            Diagnostics = _diagnostics.ToList(),
            DiagnosticCounts = new Dictionary<WireError, long>(_diagnosticCounts),
            SlowQueryNs = _slowNs,
            SlowDnsNs = _slowDnsNs,
        };
    }

    private long GroupCount() =>
        _tcpGroups.Count + _zeroWindows.Count + _dnsGroups.Count + _dnsAnswers.Count + _dnsLatency.Count + _statements.Count + _mysqlErrors.Count + _httpResponses.Count + _grpcResponses.Count + _httpErrorGroups + _tlsHandshakes.Count + _truncated.Count;

    private PodAddresses ResolvePod()
    {
        if (_options.PodIps.Count > 0)
        {
            var given = _options.PodIps.Distinct().ToList();
            return new PodAddresses(given, false, $"given with --pod-ip: {string.Join(", ", given)}");
        }

        var totalConnections = _initiators.Values.Sum(c => c.Connections);
        var totalQueries = _initiators.Values.Sum(c => c.DnsQueries);
        var ranked = _initiators
            .Where(kv => kv.Value.Score > 0)
            .OrderByDescending(kv => kv.Value.Score).ThenByDescending(kv => kv.Value.MidStreamConnections)
            .ThenBy(kv => kv.Key, AddressOrder.Instance)
            .ToList();
        if (ranked.Count > 0)
        {
            var best = ranked[0];
            var chosen = new List<KeyValuePair<NetAddress, InitiatorCounts>> { best };
            var otherFamily = ranked.FirstOrDefault(kv => kv.Key.IsV4 != best.Key.IsV4);
            if (otherFamily.Value.Score > 0 && otherFamily.Value.Score * 4 >= best.Value.Score)
            {
                // The same host over IPv4 and IPv6: both are the pod's.
                chosen.Add(otherFamily);
            }

            var reasons = chosen.Select(kv =>
            {
                var parts = new List<string>();
                if (totalConnections > 0)
                {
                    parts.Add($"opened {kv.Value.Connections} of {totalConnections} TCP connections");
                }

                if (totalQueries > 0)
                {
                    parts.Add($"sent {kv.Value.DnsQueries} of {totalQueries} DNS queries");
                }

                return $"{kv.Key} {string.Join(" and ", parts)}";
            });
            return new PodAddresses(chosen.Select(kv => kv.Key).ToList(), true,
                $"inferred as the most active client: {string.Join("; ", reasons)}; --pod-ip chooses another");
        }

        // Connections joined mid-stream only: the requests the dissectors read (HTTP, gRPC, MySQL) say who the client is.
        var asking = _pairs.GroupBy(kv => kv.Key.Client)
            .Select(g => (Address: g.Key, Requests: g.Sum(kv => kv.Value.Transactions)))
            .Where(a => a.Requests > 0)
            .OrderByDescending(a => a.Requests).ThenBy(a => a.Address, AddressOrder.Instance).ToList();
        if (asking.Count > 0)
        {
            var best = asking[0];
            return new PodAddresses([best.Address], true,
                $"inferred as the client of {WireText.Count(best.Requests, "request")} on connections the capture joined mid-stream; --pod-ip chooses another");
        }

        var midStream = _initiators.Where(kv => kv.Value.MidStreamConnections > 0)
            .OrderByDescending(kv => kv.Value.MidStreamConnections).ThenBy(kv => kv.Key, AddressOrder.Instance).ToList();
        if (midStream.Count > 0)
        {
            var best = midStream[0];
            return new PodAddresses([best.Key], true,
                $"inferred as the client side (higher port) of {WireText.Count(best.Value.MidStreamConnections, "connection")} the capture joined mid-stream; --pod-ip chooses another");
        }

        var packets = new Dictionary<NetAddress, long>();
        foreach (var (key, counter) in _packets)
        {
            packets[key.Source] = packets.GetValueOrDefault(key.Source) + counter.Packets;
            packets[key.Destination] = packets.GetValueOrDefault(key.Destination) + counter.Packets;
        }

        if (packets.Count == 0)
        {
            return PodAddresses.None;
        }

        var busiest = packets.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, AddressOrder.Instance).First();
        return new PodAddresses([busiest.Key], true,
            $"inferred as the address in the most packets ({busiest.Value}; no client could be told apart); --pod-ip chooses another");
    }

    private List<InterfaceEvidence> BuildInterfaces(PodAddresses pod)
    {
        var names = new Dictionary<int, string>();
        var files = new Dictionary<int, string>();
        var linkTypes = new Dictionary<int, Capture.Files.LinkType>();
        foreach (var i in _interfaces)
        {
            names.TryAdd(i.Id, InterfaceEvidence.DisplayName(i.Name));
            files.TryAdd(i.Id, i.FilePath);
            linkTypes.TryAdd(i.Id, i.LinkType);
        }

        var stats = new Dictionary<string, (List<int> Ids, long Packets, long Bytes, long Pod, long From, long To, long Subnet)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var i in _interfaces)
        {
            var name = names[i.Id];
            if (!stats.TryGetValue(name, out var s))
            {
                order.Add(name);
                s = ([], 0, 0, 0, 0, 0, 0);
            }

            if (!s.Ids.Contains(i.Id))
            {
                s.Ids.Add(i.Id);
            }

            stats[name] = s;
        }

        foreach (var (key, counter) in _packets)
        {
            if (!names.TryGetValue(key.Interface, out var name))
            {
                name = $"if{key.Interface}";
                names[key.Interface] = name;
            }

            if (!stats.TryGetValue(name, out var s))
            {
                order.Add(name);
                s = ([key.Interface], 0, 0, 0, 0, 0, 0);
            }

            var fromPod = pod.Contains(key.Source);
            var toPod = pod.Contains(key.Destination);
            var subnet = pod.InPodSubnet(key.Source) || pod.InPodSubnet(key.Destination);
            stats[name] = (s.Ids, s.Packets + counter.Packets, s.Bytes + counter.Bytes,
                s.Pod + (fromPod || toPod ? counter.Packets : 0),
                s.From + (fromPod ? counter.Packets : 0),
                s.To + (toPod ? counter.Packets : 0),
                s.Subnet + (subnet ? counter.Packets : 0));
        }

        return order.Select(name =>
        {
            var s = stats[name];
            var first = s.Ids.Order().First();
            return new InterfaceEvidence
            {
                Name = name,
                Ids = s.Ids.Order().ToList(),
                File = files.GetValueOrDefault(first, string.Empty),
                LinkType = linkTypes.GetValueOrDefault(first),
                Packets = s.Packets,
                Bytes = s.Bytes,
                PodPackets = s.Pod,
                FromPodPackets = s.From,
                ToPodPackets = s.To,
                PodSubnetPackets = s.Subnet,
            };
        }).ToList();
    }

    private (List<PeerEvidence> Peers, long Busy, long AnsweredBusy) BuildPeers(PodAddresses pod)
    {
        var peers = new Dictionary<NetAddress, PeerAccumulator>();
        PeerAccumulator Peer(NetAddress address)
        {
            if (!peers.TryGetValue(address, out var peer))
            {
                peer = new PeerAccumulator();
                peers[address] = peer;
            }

            return peer;
        }

        foreach (var (key, counter) in _packets)
        {
            var fromPod = pod.Contains(key.Source);
            var toPod = pod.Contains(key.Destination);
            if (fromPod == toPod)
            {
                continue;
            }

            var peer = Peer(fromPod ? key.Destination : key.Source);
            peer.Packets += counter.Packets;
            peer.Bytes += counter.Bytes;
            peer.Transports |= counter.Transports;
        }

        var podBusy = new IntervalUnion(4096);
        var podAnswered = new IntervalUnion(4096);
        foreach (var (pair, stats) in _pairs)
        {
            stats.Settle();
            var podClient = pod.Contains(pair.Client);
            var podServer = pod.Contains(pair.Server);
            if (podClient == podServer)
            {
                continue;
            }

            var peer = Peer(podClient ? pair.Server : pair.Client);
            peer.Connections += stats.Connections;
            peer.Failed += stats.FailedConnections;
            peer.Transactions += stats.Transactions;
            peer.Ports.UnionWith(stats.Ports);
            peer.Protocols.UnionWith(stats.Protocols);
            if (podClient)
            {
                peer.ServesPod = true;
                peer.Waits.AddAll(stats.Waits);
                peer.Answered.AddAll(stats.AnsweredWaits);
                podBusy.AddAll(stats.Waits);
                podAnswered.AddAll(stats.AnsweredWaits);
            }
        }

        var list = peers.Select(kv => kv.Value.Build(kv.Key, _names.GetValueOrDefault(kv.Key)))
            .OrderByDescending(p => p.BusyNs).ThenByDescending(p => p.Bytes).ThenBy(p => p.Ip, AddressOrder.Instance)
            .ToList();
        return (list, podBusy.TotalNs, podAnswered.TotalNs);
    }

    private static List<HttpErrorGroup> ErrorGroups(Dictionary<HttpServerKey, HttpResponseAccumulator> counts) =>
        counts.Values.SelectMany(r => r.Build())
            .OrderBy(e => e.Server.Address, AddressOrder.Instance).ThenBy(e => e.Server.Port)
            .ThenBy(e => e.Host, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Client, AddressOrder.Instance).ThenBy(e => e.Status).ToList();
}
