using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Capture;

/// <summary>
/// Everything the capture engine tells its consumer, in capture time order per flow.
/// <see cref="OnPacket"/> is called once per decoded packet and must not allocate;
/// the other calls happen once per file, interface, flow or transaction.
/// </summary>
public interface ICaptureSink
{
    void OnFileStart(CaptureFileInfo file);

    void OnInterface(CaptureInterface captureInterface);

    void OnPacket(in PacketMeta packet);

    /// <summary>A finished request/response turn; a connection's turns come before the connection itself.</summary>
    void OnTcpTurn(in TcpTurn turn);

    void OnTcpConnection(TcpConnection connection);

    void OnUdpFlow(UdpFlow flow);

    void OnDns(DnsTransaction transaction);

    void OnMySql(MySqlTransaction transaction);

    void OnHttp(HttpTransaction transaction);

    void OnTls(TlsTransaction transaction);

    /// <summary>The ARP requests for one address on one interface and their replies, once the capture ends; sinks that do not use them need not implement it.</summary>
    void OnArp(ArpResolution resolution)
    {
    }

    void OnDiagnostic(WireDiagnostic diagnostic);

    void OnFileEnd(CaptureFileSummary summary);
}
