using System.Globalization;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Engine;

public class BackgroundSinkTests
{
    public static TheoryData<string> DissectedCaptures => new()
    {
        "deepflow__dns-over-tcp-multi.pcap",
        "deepflow__mysql-171-k8s.pcap",
        "deepflow__mysql-prepared-stmt.pcap",
        "zeek__mysql-crud.pcap",
        "ndpi__sll-dns-tls-http-mobile.pcap",
        "zeek__pcapng-multi-interface.pcapng",
        "chrissanders__tcp-refused-client-retries.pcapng",
    };

    [SkippableTheory]
    [MemberData(nameof(DissectedCaptures))]
    public void TheInnerSinkSeesTheSameCallsInTheSameOrderAsWhenCalledDirectly(string fileName)
    {
        // Given: tiny batches, so that the capture crosses many batch boundaries
        string? path = TestCaptures.Path(fileName);
        Skip.If(path is null, TestCaptures.SkipReason);
        var direct = new CallLog();
        var behind = new CallLog();

        // When
        CaptureEngine.Run([path!], direct, new ProtocolRegistry(direct));
        using (var background = new BackgroundSink(behind, batchSize: 7, batches: 2))
        {
            CaptureEngine.Run([path!], background, new ProtocolRegistry(background));
            background.Complete();
        }

        // Then
        Assert.True(direct.Calls.Count > 7, $"{fileName}: only {direct.Calls.Count} calls, not more than one batch");
        Assert.Equal(direct.Calls, behind.Calls);
    }

    [Fact]
    public void CompleteRethrowsWhatTheInnerSinkThrewAfterTheEngineWasNeverBlocked()
    {
        // Given: an inner sink that fails on its third packet
        var failing = new FailingSink(failAtPacket: 3);
        var background = new BackgroundSink(failing, batchSize: 2, batches: 2);

        // When: far more calls than the batches hold go in after the failure
        for (int i = 0; i < 10_000; i++)
        {
            background.OnPacket(new PacketMeta { Frame = i });
        }

        var thrown = Assert.Throws<InvalidOperationException>(background.Complete);

        // Then
        Assert.Equal("packet 3", thrown.Message);
        Assert.Equal(3, failing.Packets);
        background.Dispose();
    }

    [Fact]
    public void DisposeWithoutCompleteStopsTheThreadAndDropsWhatWasNotHandedOver()
    {
        // Given
        var log = new CallLog();
        var background = new BackgroundSink(log, batchSize: 4, batches: 2);
        for (int i = 0; i < 10; i++)
        {
            background.OnPacket(new PacketMeta { Frame = i });
        }

        // When
        background.Dispose();

        // Then: the two full batches were replayed, the partial third one was not
        Assert.Equal(8, log.Calls.Count);
        Assert.Equal("packet 7", log.Calls[^1]);
    }

    /// <summary>Every call as one line of text, in order.</summary>
    private sealed class CallLog : ICaptureSink
    {
        public List<string> Calls { get; } = [];

        public void OnFileStart(CaptureFileInfo file) => Calls.Add($"file-start {file}");

        public void OnInterface(CaptureInterface captureInterface) => Calls.Add($"interface {captureInterface}");

        public void OnPacket(in PacketMeta packet) => Calls.Add(packet.TimeNs == 0
            ? string.Create(CultureInfo.InvariantCulture, $"packet {packet.Frame}")
            : string.Create(CultureInfo.InvariantCulture, $"packet {packet.Frame} {packet.TimeNs} if{packet.InterfaceId} {packet.Source}:{packet.SourcePort} > {packet.Destination}:{packet.DestinationPort} {packet.Protocol} {packet.TcpFlags} {packet.IpLength}"));

        public void OnTcpTurn(in TcpTurn turn) => Calls.Add($"turn {turn}");

        public void OnTcpConnection(TcpConnection connection) =>
            Calls.Add($"tcp {connection} syn-times {string.Join(',', connection.SynTimesNs)} if {string.Join(',', connection.InterfaceIds)}");

        public void OnUdpFlow(UdpFlow flow) => Calls.Add($"udp {flow}");

        public void OnDns(DnsTransaction transaction) =>
            Calls.Add($"dns {transaction} answers {string.Join(';', transaction.Answers.Select(a => $"{a.Name} {a.Type} {a.Data}"))}");

        public void OnMySql(MySqlTransaction transaction) => Calls.Add($"mysql {transaction}");

        public void OnHttp(HttpTransaction transaction) => Calls.Add($"http {transaction}");

        public void OnTls(TlsTransaction transaction) => Calls.Add($"tls {transaction}");

        public void OnDiagnostic(WireDiagnostic diagnostic) => Calls.Add($"diagnostic {diagnostic}");

        public void OnFileEnd(CaptureFileSummary summary) => Calls.Add($"file-end {summary.Path} {summary.Packets}");
    }

    private sealed class FailingSink(int failAtPacket) : ICaptureSink
    {
        public int Packets { get; private set; }

        public void OnPacket(in PacketMeta packet)
        {
            if (++Packets == failAtPacket)
            {
                throw new InvalidOperationException($"packet {Packets}");
            }
        }

        public void OnFileStart(CaptureFileInfo file)
        {
        }

        public void OnInterface(CaptureInterface captureInterface)
        {
        }

        public void OnTcpTurn(in TcpTurn turn)
        {
        }

        public void OnTcpConnection(TcpConnection connection)
        {
        }

        public void OnUdpFlow(UdpFlow flow)
        {
        }

        public void OnDns(DnsTransaction transaction)
        {
        }

        public void OnMySql(MySqlTransaction transaction)
        {
        }

        public void OnHttp(HttpTransaction transaction)
        {
        }

        public void OnTls(TlsTransaction transaction)
        {
        }

        public void OnDiagnostic(WireDiagnostic diagnostic)
        {
        }

        public void OnFileEnd(CaptureFileSummary summary)
        {
        }
    }
}
