using System.Globalization;
using KubeTriage.Capture;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A path with a smaller MTU in the middle: a client namespace (the pod, MTU 1500) uploads to a server namespace
/// through a router namespace whose link towards the server carries at most 1200 bytes. The client's first full-size
/// segments are answered by the router with ICMP "fragmentation needed, next-hop MTU 1200"; tcpdump on the client's
/// NIC records it. kubetriage raises <c>net.path-mtu</c> with the MTU. With the router's ICMP errors dropped (an nft
/// rule), the same path is a black hole: the client's small first piece passes, its full-size segments are sent again
/// and again and never acknowledged, and kubetriage raises <c>net.path-mtu</c> from the TCP stall alone. Addresses are
/// from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class PathMtuCaptureTests() : NamespaceLabTest("ktmtu", "make network namespaces", "ip", "nft", "tcpdump", "python3")
{
    private const string Client = "198.19.244.2";
    private const string Server = "198.19.245.2";
    private const int Port = 9000;

    private string RouterNs => Namespaces.Name("r");

    protected override async Task Build()
    {
        await Namespaces.AddRouted("c", Client, "r", "s", Server);
        await TestNamespaces.Run(Tools.Ip, "-n", RouterNs, "link", "set", "rs", "mtu", "1200");
    }

    [SkippableFact]
    public async Task ARouterWithASmallerMtuOnThePathIsFoundWithItsMtu()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: a server reading an upload, tcpdump on the client's NIC
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");
        var port = Port.ToString(CultureInfo.InvariantCulture);
        ExecResult server;
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap))
        {
            // When: the client uploads 200 kB in full-size segments
            var serving = ProcessRunner.Run(Tools.Ip, ["netns", "exec", ServerNs, "python3", "-c", UploadScripts.Server, Server, port, "0", "0"]);
            var client = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "python3", "-c", UploadScripts.Client, Server, port, "200000"]);
            server = await serving;
            Assert.True(client.Succeeded, client.ToString());
        }

        Assert.True(server.Succeeded && server.StdOut.Trim() == "200000", server.ToString());
        var (evidence, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: the router's "fragmentation needed" about the pod's segments, with the MTU of its link
        var error = Assert.Single(evidence.IcmpErrors, e => e.IsTooBig);
        Assert.Equal(("198.19.244.1", Client, $"{Server}:{Port}", 1200), (error.Reporter.ToString(), error.OriginalSource.ToString(), error.OriginalDestination.ToString(), error.Mtu));
        var finding = Assert.Single(findings, f => f.Id == FindingIds.NetPathMtu);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal($"Packets from the pod to {Server} are larger than the path allows (MTU 1200)", finding.Title);
        Assert.Contains("ping -M do -s 1172", finding.Remediation, StringComparison.Ordinal);
        Assert.Equal(1200, Assert.Single(CaptureReport.From(evidence).IcmpErrors, e => e.Error == "fragmentation needed").Mtu);
    }

    [SkippableFact]
    public async Task ARouterThatDropsItsFragmentationNeededErrorsIsABlackHoleFoundFromTheStalledSegments()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the router drops the ICMP errors it would send, a server reading an upload, tcpdump on the client's NIC
        await TestNamespaces.Run(Tools.Ip, "netns", "exec", RouterNs, "nft", "add", "table", "inet", "kt");
        await TestNamespaces.Run(Tools.Ip, "netns", "exec", RouterNs, "nft", "add", "chain", "inet", "kt", "out", "{ type filter hook output priority 0; }");
        await TestNamespaces.Run(Tools.Ip, "netns", "exec", RouterNs, "nft", "add", "rule", "inet", "kt", "out",
            "icmp", "type", "destination-unreachable", "icmp", "code", "frag-needed", "drop");
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");
        var port = Port.ToString(CultureInfo.InvariantCulture);
        ExecResult client;
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap))
        {
            // When: the client sends a 300-byte first piece, then the rest of 200 kB in full-size segments, and gives up after 4 s
            var serving = ProcessRunner.Run(Tools.Ip, ["netns", "exec", ServerNs, "python3", "-c", UploadScripts.Server, Server, port, "0", "0"]);
            client = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "python3", "-c", UploadScripts.Client, Server, port, "200000", "300", "4"]);
            await serving;
        }

        Assert.Equal(3, client.ExitCode);
        var (evidence, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: no ICMP error in the capture, and the stalled full-size segment found with what passed before it
        Assert.Empty(evidence.IcmpErrors);
        var finding = Assert.Single(findings, f => f.Id == FindingIds.NetPathMtu);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Matches(@"^\d+-byte segments from the pod to 198\.19\.245\.2 never get through while smaller ones do: a path-MTU black hole$", finding.Title);
        Assert.Matches(@"^198\.19\.244\.2:\d+ → 198\.19\.245\.2:9000: a \d+-byte segment sent again [3-9] times .*, never acknowledged; the largest segment acknowledged before was 300 bytes$", finding.Evidence[0]);
        Assert.Equal("1 of 1 established connection from the pod to 198.19.245.2 stalled this way", finding.Evidence[1]);
    }
}
