using System.Text.RegularExpressions;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// DNS answers that come only after a re-send, over real traffic: a client namespace (the pod, 198.19.236.2) and a
/// server namespace (198.19.236.1) running a python3 DNS server that ignores the first copy of each AAAA question and
/// answers everything else at once (A with 198.19.237.10, AAAA with no data), as a node that loses one of glibc's
/// parallel A/AAAA queries to the conntrack race would. The client resolves names with glibc (<c>getent ahosts</c>,
/// resolv.conf <c>options timeout:2</c> from <c>/etc/netns/NS/resolv.conf</c>), whose AAAA waits 2 s for its re-send
/// from the same port, then with a Go-like python3 client that asks again from a new socket with a new id after 2 s.
/// tcpdump on the client's NIC records it; kubetriage raises <c>dns.slow-response</c> with those counts.
/// Addresses are from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed partial class DnsSlowResponseCaptureTests() : NamespaceLabTest("ktdns", "make network namespaces", "ip", "tcpdump", "python3", "getent")
{
    private const string Client = "198.19.236.2";
    private const string Server = "198.19.236.1";
    private const string Answer = "198.19.237.10";

    /// <summary>A DNS server on argv[1]:53 answering A with argv[2]; the first query of each question of a type in argv[3] goes unanswered.</summary>
    private const string ServerScript = """
        import socket, struct, sys
        address, answer_ip, drop = sys.argv[1], sys.argv[2], {int(t) for t in sys.argv[3].split(',') if t}
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((address, 53))
        seen = set()
        while True:
            data, peer = s.recvfrom(4096)
            if len(data) < 17:
                continue
            qid, flags = struct.unpack('!HH', data[:4])
            i, labels = 12, []
            while i < len(data) and data[i]:
                labels.append(data[i + 1:i + 1 + data[i]].decode('ascii', 'replace').lower())
                i += 1 + data[i]
            qtype = struct.unpack('!H', data[i + 1:i + 3])[0]
            question = ('.'.join(labels), qtype)
            if qtype in drop and question not in seen:
                seen.add(question)
                continue
            answer = b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, 60, 4) + socket.inet_aton(answer_ip) if qtype == 1 else b''
            header = struct.pack('!HHHHHH', qid, 0x8480 | (flags & 0x0100), 1, 1 if answer else 0, 0, 0)
            s.sendto(header + data[12:i + 5] + answer, peer)
        """;

    /// <summary>Asks AAAA for each name like Go's resolver: every try from a new socket with a new id, argv[2] seconds apart.</summary>
    private const string GoLikeClientScript = """
        import random, socket, struct, sys
        server, timeout = sys.argv[1], float(sys.argv[2])
        for name in sys.argv[3:]:
            question = b''.join(bytes([len(l)]) + l.encode() for l in name.split('.')) + b'\x00' + struct.pack('!HH', 28, 1)
            for attempt in range(3):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(timeout)
                qid = random.randrange(65536)
                s.sendto(struct.pack('!HHHHHH', qid, 0x0100, 1, 0, 0, 0) + question, (server, 53))
                try:
                    while s.recv(4096)[:2] != struct.pack('!H', qid):
                        pass
                    print(name, 'answered on try', attempt + 1)
                    break
                except socket.timeout:
                    pass
                finally:
                    s.close()
            else:
                sys.exit(f'{name}: no answer')
        """;

    private static readonly string[] _glibcNames = ["api0.lab.example", "api1.lab.example", "api2.lab.example"];
    private static readonly string[] _goNames = ["go0.lab.example", "go1.lab.example"];

    protected override async Task Build()
    {
        await Namespaces.AddPair("c", Client, "s", Server);

        await Namespaces.WriteResolvConf("c", $"nameserver {Server}\noptions timeout:2 attempts:3\n");
    }

    [SkippableFact]
    public async Task AnswersThatCameOnlyAfterAReSendAreReportedWithTheirCounts()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the DNS server that ignores each AAAA question's first copy, listening; tcpdump on the client's NIC
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");
        await using var server = NamespaceHttpServer.StartScript(ServerNs, ServerScript, Server, Answer, "28");
        await WaitForListener();
        var lookups = new List<ExecResult>();
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap, "udp port 53"))
        {
            // When: glibc resolves three names (A and AAAA together from one port), then a Go-like client asks two
            foreach (var name in _glibcNames)
            {
                lookups.Add(await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "getent", "ahosts", name]));
            }

            lookups.Add(await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "python3", "-c", GoLikeClientScript, Server, "2", .. _goNames]));
        }

        var packets = await ProcessRunner.Run(Tools.Find("tcpdump")!, ["-nr", pcap]);
        var transcript = packets.StdOut;
        Assert.All(lookups, l => Assert.True(l.Succeeded, $"{l}\n{transcript}"));
        Assert.All(lookups.Take(_glibcNames.Length), l => Assert.Contains(Answer, l.StdOut, StringComparison.Ordinal));
        var (evidence, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: each glibc AAAA re-sent after 2 s from its port beside its A twin, each Go-like AAAA asked again from a new port
        var latency = Assert.Single(evidence.DnsLatency);
        var late = _glibcNames.Length + _goNames.Length;
        Assert.True((late, late, late, late, 0L) == (latency.Late, latency.LateResent, latency.LateAnsweredAfterResend, latency.LateAaaa, latency.LateA),
            $"{latency}\n{transcript}");
        Assert.True((_glibcNames.Length, _goNames.Length, _goNames.Length) == (latency.LateTwins, latency.LateReasked, latency.LateEarlierQueries),
            $"{latency}\n{transcript}");
        Assert.InRange(latency.ResendIntervalMinNs, 1_900_000_000, 2_500_000_000);
        Assert.InRange(latency.ResendIntervalMaxNs, 1_900_000_000, 2_500_000_000);
        Assert.Equal(Responses(transcript), latency.Answered);

        var finding = Assert.Single(findings, f => f.Id == FindingIds.DnsSlowResponse);
        Assert.Equal(Severity.Warning, finding.Severity);
        // The title promises the shortest late wait in whole seconds: 2 s, or 1 s when a packet time puts the re-send a hair under 2 s
        Assert.InRange(latency.LateMinNs, 1_900_000_000, 2_500_000_000);
        Assert.Equal($"{late} of {latency.Answered} DNS answers from {Server} took {latency.LateMinNs / 1_000_000_000} s or more", finding.Title);
        Assert.Contains(finding.Evidence, l => l.StartsWith($"all {late} were answered only after the pod sent the query again: re-sent after ", StringComparison.Ordinal)
            && l.EndsWith("the first query or its answer was lost", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, l => l.StartsWith($"{_glibcNames.Length} of the {late} went out together with the name's other address query from one source port", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, l => l.StartsWith($"{_goNames.Length} of the {late} re-sends asked again from a new source port", StringComparison.Ordinal)
            && l.EndsWith($"the {_goNames.Length} earlier queries got no answer and count in dns.no-response too", StringComparison.Ordinal));

        // The examples cite the frames the packets really have: the first AAAA copy and the answer to its re-send
        var example = latency.Examples[0];
        var (queryFrame, answerFrame) = FramesOf(transcript, _glibcNames[0]);
        Assert.Equal((_glibcNames[0], (ushort)28, 1), (example.Name, example.QueryType, example.Retransmissions));
        Assert.Equal((queryFrame, (long?)answerFrame), (example.QueryFrame, example.ResponseFrame));
        Assert.Contains(finding.Evidence, l => l.StartsWith($"{_glibcNames[0]} AAAA at {WireText.Clock(example.QueryTimeNs)} (frame {queryFrame} in c0.pcap), sent 2 times, answered ",
            StringComparison.Ordinal) && l.EndsWith($"(frame {answerFrame})", StringComparison.Ordinal));

        // The time the pod waited on the resolver is put down to the late answers
        Assert.All(findings.Where(f => f.Id == FindingIds.DependencySlow && f.Subject.StartsWith(Server, StringComparison.Ordinal)),
            f => Assert.Contains(FindingIds.DnsSlowResponse, f.CausedBy));

        // The first copies of the Go-like questions stay dns.no-response's, as answered later
        var noResponse = Assert.Single(findings, f => f.Id == FindingIds.DnsNoResponse);
        Assert.Equal(Severity.Warning, noResponse.Severity);
        Assert.All(_goNames, n => Assert.Contains(noResponse.Evidence, l => l.StartsWith($"{n}: 1 query", StringComparison.Ordinal) && l.EndsWith("answered elsewhere or later", StringComparison.Ordinal)));
    }

    /// <summary>The DNS responses tcpdump saw (lines "198.19.236.1.53 > …").</summary>
    private static long Responses(string transcript) =>
        transcript.Split('\n').LongCount(l => l.Contains($" IP {Server}.53 > {Client}.", StringComparison.Ordinal));

    /// <summary>The frames of the first AAAA query for <paramref name="name"/> and of the answer to it (same port and id), 1-based as in the pcap.</summary>
    private static (long Query, long Answer) FramesOf(string transcript, string name)
    {
        var lines = transcript.Split('\n');
        var query = Array.FindIndex(lines, l => l.Contains($" AAAA? {name}.", StringComparison.Ordinal));
        var sent = QueryLine().Match(lines[query]);
        var port = sent.Groups["port"].Value;
        var id = sent.Groups["id"].Value;
        var answer = Array.FindIndex(lines, query + 1, l => l.Contains($" IP {Server}.53 > {Client}.{port}: {id}", StringComparison.Ordinal));
        return (query + 1, answer + 1);
    }

    private async Task WaitForListener()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var listening = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ServerNs, "ss", "-Huln", "sport = :53"]);
            if (listening.StdOut.Contains($"{Server}:53", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new LabException($"the DNS server in {ServerNs} did not start listening on {Server}:53");
    }

    [GeneratedRegex(@" IP [0-9.]+\.(?<port>\d+) > [0-9.]+\.53: (?<id>\d+)\+")]
    private static partial Regex QueryLine();
}
