using KubeTriage.Capture.Primitives;
using KubeTriage.Findings;
using KubeTriage.Lab;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A peer that is not on the link: a client namespace (the pod, 198.19.248.2) and a server namespace (198.19.248.3) on
/// one link, tcpdump on the client's NIC. The client connects to 198.19.248.50, an address of its own subnet that no
/// host has: its kernel asks ARP three times, gets no reply, and fails the connect with "no route to host" without a
/// SYN ever reaching the wire. A ping to the server (answered ARP) is the control. Addresses are from 198.18.0.0/15
/// and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class ArpUnansweredCaptureTests() : NamespaceLabTest("ktarp", "make network namespaces", "ip", "tcpdump", "python3", "ping")
{
    private const string Client = "198.19.248.2";
    private const string Server = "198.19.248.3";
    private const string Missing = "198.19.248.50";

    private const string ConnectScript = """
        import socket, sys
        try:
            socket.create_connection((sys.argv[1], 80), timeout=10)
            print("connected")
        except OSError as e:
            print(e.errno)
        """;

    protected override async Task Build()
    {
        await Namespaces.AddPair("c", Client, "s", Server);
    }

    [SkippableFact]
    public async Task AConnectToAnAddressNobodyHasIsFoundFromItsArpRequestsThoughNoSynLeft()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: tcpdump on the client's NIC
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");
        ExecResult ping, connect;
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap))
        {
            // When: a ping to the server, then a connect to the missing address
            ping = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "ping", "-c", "1", "-W", "2", Server]);
            connect = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "python3", "-c", ConnectScript, Missing]);
        }

        var (evidence, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: the connect failed without a SYN on the wire, and the ARP requests say why
        Assert.True(ping.Succeeded, ping.ToString());
        Assert.Equal("113", connect.StdOut.Trim()); // EHOSTUNREACH: no route to host, after ARP gave up
        Assert.DoesNotContain(evidence.TcpGroups, g => g.Server.Address == NetAddress.Parse(Missing));
        var arp = Assert.Single(findings, f => f.Id == FindingIds.NetArpUnanswered);
        Assert.Equal(Severity.Critical, arp.Severity);
        Assert.Equal(Missing, arp.Subject);
        Assert.Matches($@"^Nothing answers ARP for {Missing.Replace(".", @"\.")} on c0: packets to it cannot leave \(\d+ requests, no reply\)$", arp.Title);
        Assert.Matches($@"^who-has {Missing.Replace(".", @"\.")} tell {Client.Replace(".", @"\.")} on c0: \d+ requests from \S+ to \S+ \(frame \d+ in c0\.pcap\), no reply$", arp.Evidence[0]);
        Assert.Contains(arp.Evidence, l => l.StartsWith("the pod itself asked", StringComparison.Ordinal));
        Assert.Contains($"arping -c 3 -I c0 {Missing}", arp.Remediation, StringComparison.Ordinal);
        Assert.Contains(evidence.Arp, a => a.Target == NetAddress.Parse(Server) && a.Replies > 0);
    }
}
