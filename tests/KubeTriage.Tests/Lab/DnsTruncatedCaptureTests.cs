using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// Truncated DNS answers: a client namespace (the pod, 198.19.243.2) and a server namespace with two DNS servers, one
/// serving UDP and TCP (198.19.243.3), one UDP only (198.19.243.4, TCP port 53 closed). Both answer every name that
/// starts with "big" over UDP with the TC bit and no records; over TCP, 40 A records. tcpdump on the client's NIC. glibc
/// (<c>getent ahostsv4</c>) asks .3 and falls back to TCP (answered: not reported); a resolver without TCP fallback
/// (a python client, as musl before 1.2.4) asks .3 and stops at the truncated answer; glibc asks .4 and its TCP
/// connect is refused. Addresses are from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class DnsTruncatedCaptureTests() : NamespaceLabTest("kttc", "make network namespaces", "ip", "tcpdump", "python3", "getent")
{
    private const string Client = "198.19.243.2";
    private const string Full = "198.19.243.3";
    private const string UdpOnly = "198.19.243.4";

    /// <summary>DNS servers on argv[1] (UDP and TCP) and argv[2] (UDP only).</summary>
    private const string ServerScript = """
        import select, socket, struct, sys, threading

        def parse(data):
            qid, flags = struct.unpack('!HH', data[:4])
            i, labels = 12, []
            while i < len(data) and data[i]:
                labels.append(data[i + 1:i + 1 + data[i]].decode('ascii', 'replace').lower())
                i += 1 + data[i]
            return qid, flags, '.'.join(labels), data[12:i + 5]

        def answer(data, tcp):
            qid, flags, name, question = parse(data)
            if name.startswith('big') and not tcp:
                return struct.pack('!HHHHHH', qid, 0x8680 | (flags & 0x0100), 1, 0, 0, 0) + question
            count = 40 if name.startswith('big') else 1
            records = b''.join(b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, 60, 4) + bytes([198, 19, 243, 100 + n]) for n in range(count))
            return struct.pack('!HHHHHH', qid, 0x8480 | (flags & 0x0100), 1, count, 0, 0) + question + records

        def tcp(address):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((address, 53))
            s.listen(8)
            while True:
                c, _ = s.accept()
                c.settimeout(5)
                try:
                    length = struct.unpack('!H', c.recv(2))[0]
                    data = b''
                    while len(data) < length:
                        data += c.recv(length - len(data))
                    reply = answer(data, True)
                    c.sendall(struct.pack('!H', len(reply)) + reply)
                except OSError:
                    pass
                c.close()

        threading.Thread(target=tcp, args=(sys.argv[1],), daemon=True).start()
        sockets = []
        for address in sys.argv[1:3]:
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.bind((address, 53))
            sockets.append(u)
        while True:
            for u in select.select(sockets, [], [])[0]:
                data, peer = u.recvfrom(4096)
                if len(data) >= 17:
                    u.sendto(answer(data, False), peer)
        """;

    /// <summary>Asks argv[1] for the A records of argv[2] over UDP once and stops at the answer, truncated or not (no TCP fallback).</summary>
    private const string NoFallbackClientScript = """
        import socket, struct, sys
        question = b''.join(bytes([len(l)]) + l.encode() for l in sys.argv[2].split('.')) + b'\x00' + struct.pack('!HH', 1, 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(3)
        s.sendto(struct.pack('!HHHHHH', 4242, 0x0100, 1, 0, 0, 0) + question, (sys.argv[1], 53))
        flags = struct.unpack('!H', s.recv(4096)[2:4])[0]
        print('truncated' if flags & 0x0200 else 'complete')
        """;

    protected override async Task Build()
    {
        await Namespaces.AddPair("c", Client, "s", Full);
        await TestNamespaces.Run(Tools.Ip, "-n", ServerNs, "addr", "add", $"{UdpOnly}/24", "dev", "s0");
    }

    [SkippableFact]
    public async Task TruncatedAnswersWithoutAFallbackOrWithTcpRefusedAreFoundAndAnsweredFallbacksAreNot()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the servers answer (a small name, checked before the capture)
        await using var server = NamespaceHttpServer.StartScript(ServerNs, ServerScript, Full, UdpOnly);
        await UseNameserver(Full);
        var probe = await TestNamespaces.Retry(Tools.Ip, "netns", "exec", ClientNs, "getent", "ahostsv4", "small.lab");
        Assert.True(probe.Succeeded, probe.ToString());
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");

        // When: glibc resolves big1 through .3, the no-fallback client asks .3 for big2, glibc resolves big3 through .4
        ExecResult glibcFull, noFallback, glibcUdpOnly;
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap, "port 53"))
        {
            glibcFull = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "getent", "ahostsv4", "big1.lab"]);
            noFallback = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "python3", "-c", NoFallbackClientScript, Full, "big2.lab"]);
            await UseNameserver(UdpOnly);
            glibcUdpOnly = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "getent", "ahostsv4", "big3.lab"]);
        }

        var (evidence, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: what the clients saw
        Assert.True(glibcFull.Succeeded, glibcFull.ToString());
        Assert.Contains("198.19.243.139", glibcFull.StdOut, StringComparison.Ordinal);
        Assert.Equal("truncated", noFallback.StdOut.Trim());
        Assert.False(glibcUdpOnly.Succeeded, glibcUdpOnly.ToString());

        // and what the wire says
        Assert.Equal(
            [("big1.lab", Full, 1L, true), ("big2.lab", Full, 0L, false), ("big3.lab", UdpOnly, 0L, false)],
            evidence.DnsTruncations.Select(g => (g.Name, g.Server.ToString(), g.AnsweredOverTcp, g.AskedOverTcp > 0)).Distinct().OrderBy(g => g.Name));
        var truncated = findings.Where(f => f.Id == FindingIds.DnsTruncated).OrderBy(f => f.Subject, StringComparer.Ordinal).ToList();
        Assert.Equal([$"DNS server {Full}", $"DNS server {UdpOnly}"], truncated.Select(f => f.Subject));
        var full = truncated[0];
        Assert.Equal(Severity.Warning, full.Severity);
        Assert.Equal($"{Full} sent the pod truncated DNS answers it never got in full over TCP (big2.lab A)", full.Title);
        Assert.StartsWith("big2.lab A: 1 truncated answer, the first at ", full.Evidence[1], StringComparison.Ordinal);
        Assert.EndsWith("; never asked again over TCP", full.Evidence[1], StringComparison.Ordinal);
        Assert.Contains(full.Evidence, l => l == "1 other truncated question got its answer over TCP: the pod's resolver does fall back there");
        var udpOnly = truncated[1];
        Assert.Equal(Severity.Critical, udpOnly.Severity);
        Assert.Equal([FindingIds.TcpConnectRefused], udpOnly.CausedBy);
        Assert.Contains(udpOnly.Evidence, l => l.StartsWith($"the pod's connects to {UdpOnly}:53 over TCP failed (0 without answer, ", StringComparison.Ordinal));
        Assert.Contains($"dig +tcp big3.lab A @{UdpOnly}", udpOnly.Remediation, StringComparison.Ordinal);
    }

    private Task UseNameserver(string address) => Namespaces.WriteResolvConf("c", $"nameserver {address}\noptions timeout:1 attempts:1\n");
}
