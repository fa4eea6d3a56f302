using System.Globalization;
using KubeTriage.Capture;
using KubeTriage.Capture.Protocols;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// A receiver that stops reading, for real: a client namespace uploads a few MB to a server namespace over a veth
/// pair; the server sets a small SO_RCVBUF, accepts, does not read for 2 s, then reads everything. Its kernel
/// advertises a zero window, the client's kernel probes it, and tcpdump on the client's side records it all.
/// kubetriage names the server as the side that stalled the pod (the client) for at least a second.
/// Addresses are from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class ZeroWindowCaptureTests() : NamespaceLabTest("ktzw", "make network namespaces", "ip", "tcpdump", "python3")
{
    private const string ClientAddress = "198.19.230.1";
    private const string ServerAddress = "198.19.230.2";
    private const int Port = 9000;
    private const int UploadBytes = 3_000_000;
    private const double PauseSeconds = 2.0;

    protected override async Task Build()
    {
        await Namespaces.Add("c");
        await Namespaces.Add("s");

        await TestNamespaces.Link((ClientNs, "zw0", $"{ClientAddress}/24"), (ServerNs, "zw1", $"{ServerAddress}/24"));
    }

    [SkippableFact]
    public async Task AServerThatStopsReadingIsNamedAsTheZeroWindowSide()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: tcpdump on the client's interface, the server accepting and then not reading for 2 s
        var pcap = Path.Combine(Temp.FullName, "zw0.pcap");
        ExecResult server;
        ExecResult client;
        await using (var capture = await LabCapture.Start(ClientNs, "zw0", pcap))
        {
            var serving = ProcessRunner.Run(Tools.Ip,
                ["netns", "exec", ServerNs, "python3", "-c", UploadScripts.Server, ServerAddress, Port.ToString(CultureInfo.InvariantCulture), PauseSeconds.ToString(CultureInfo.InvariantCulture), "4096"],
                TimeSpan.FromSeconds(40));
            try
            {
                // When: the client uploads a few MB
                client = await ProcessRunner.Run(Tools.Ip,
                    ["netns", "exec", ClientNs, "python3", "-c", UploadScripts.Client, ServerAddress, Port.ToString(CultureInfo.InvariantCulture), UploadBytes.ToString(CultureInfo.InvariantCulture)],
                    TimeSpan.FromSeconds(40));
            }
            finally
            {
                server = await serving;
            }
        }

        Assert.True(client.Succeeded, $"client: {client}");
        Assert.True(server.Succeeded && server.StdOut.Trim() == UploadBytes.ToString(CultureInfo.InvariantCulture), $"server: {server}");
        var builder = new CaptureEvidenceBuilder();
        Assert.True(CaptureEngine.Run([pcap], builder, new ProtocolRegistry(builder)).Succeeded);
        var evidence = builder.Build();
        var findings = AnalyzerRunner.Run(AnalyzerCatalog.Wire(false), new CaptureContext(evidence), []);

        // Then
        Assert.Equal([ClientAddress], evidence.Pod.Ips.Select(ip => ip.ToString()));
        var stalled = Assert.Single(evidence.TcpZeroWindows);
        Assert.True(stalled.ReceiverIsServer, "the server advertised the zero windows");
        Assert.Equal($"{ServerAddress}:{Port}", stalled.Server.ToString());
        Assert.True(stalled.LongestStallNs >= 1_000_000_000, $"longest stall {stalled.LongestStallNs / 1e9:0.000} s");
        Assert.True(stalled.Probes > 0, "the client's kernel probed the closed window");
        Assert.False(stalled.LongestStallUnresolved);
        var finding = Assert.Single(findings, f => f.Id == FindingIds.TcpZeroWindow);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal($"{ClientAddress} → {ServerAddress}:{Port} (server's window)", finding.Subject);
        Assert.StartsWith($"{ServerAddress}:{Port} stalled the pod with a zero TCP window for ", finding.Title);
        Assert.StartsWith($"{ServerAddress}:{Port} advertised a zero receive window", finding.Evidence[0]);
    }
}
