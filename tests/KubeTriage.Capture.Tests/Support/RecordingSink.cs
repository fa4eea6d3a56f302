using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Capture.Tests.Support;

/// <summary>Keeps everything the engine reports, in order, for assertions and transcripts.</summary>
public sealed class RecordingSink : ICaptureSink
{
    public List<CaptureFileInfo> FilesStarted { get; } = [];
    public List<CaptureInterface> Interfaces { get; } = [];
    public List<PacketMeta> Packets { get; } = [];
    public List<TcpTurn> Turns { get; } = [];
    public List<TcpConnection> Connections { get; } = [];
    public List<UdpFlow> UdpFlows { get; } = [];
    public List<DnsTransaction> Dns { get; } = [];
    public List<MySqlTransaction> MySql { get; } = [];
    public List<HttpTransaction> Http { get; } = [];
    public List<TlsTransaction> Tls { get; } = [];
    public List<ArpResolution> Arp { get; } = [];
    public List<WireDiagnostic> Diagnostics { get; } = [];
    public List<CaptureFileSummary> FilesEnded { get; } = [];

    /// <summary>Every call in order, by name: checks the order of file, interface and flow events.</summary>
    public List<string> Events { get; } = [];

    public void OnFileStart(CaptureFileInfo file)
    {
        FilesStarted.Add(file);
        Events.Add($"file-start {System.IO.Path.GetFileName(file.Path)}");
    }

    public void OnInterface(CaptureInterface captureInterface)
    {
        Interfaces.Add(captureInterface);
        Events.Add($"interface {captureInterface.Id} {captureInterface.Name}");
    }

    public void OnPacket(in PacketMeta packet) => Packets.Add(packet);

    public void OnTcpTurn(in TcpTurn turn) => Turns.Add(turn);

    public void OnTcpConnection(TcpConnection connection) => Connections.Add(connection);

    public void OnUdpFlow(UdpFlow flow) => UdpFlows.Add(flow);

    public void OnDns(DnsTransaction transaction) => Dns.Add(transaction);

    public void OnMySql(MySqlTransaction transaction) => MySql.Add(transaction);

    public void OnHttp(HttpTransaction transaction) => Http.Add(transaction);

    public void OnTls(TlsTransaction transaction) => Tls.Add(transaction);

    public void OnArp(ArpResolution resolution) => Arp.Add(resolution);

    public void OnDiagnostic(WireDiagnostic diagnostic) => Diagnostics.Add(diagnostic);

    public void OnFileEnd(CaptureFileSummary summary)
    {
        FilesEnded.Add(summary);
        Events.Add($"file-end {System.IO.Path.GetFileName(summary.Path)}");
    }
}
