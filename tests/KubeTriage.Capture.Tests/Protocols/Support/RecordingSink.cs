using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Capture.Tests.Protocols.Support;

/// <summary>A sink that keeps everything the dissectors report, in order.</summary>
public sealed class RecordingSink : ICaptureSink
{
    public List<DnsTransaction> Dns { get; } = [];

    public List<MySqlTransaction> MySql { get; } = [];

    public List<HttpTransaction> Http { get; } = [];

    public List<TlsTransaction> Tls { get; } = [];

    public List<WireDiagnostic> Diagnostics { get; } = [];

    public void OnFileStart(CaptureFileInfo file)
    {
    }

    public void OnInterface(CaptureInterface captureInterface)
    {
    }

    public void OnPacket(in PacketMeta packet)
    {
    }

    public void OnTcpConnection(TcpConnection connection)
    {
    }

    public void OnUdpFlow(UdpFlow flow)
    {
    }

    public void OnDns(DnsTransaction transaction) => Dns.Add(transaction);

    public void OnMySql(MySqlTransaction transaction) => MySql.Add(transaction);

    public void OnHttp(HttpTransaction transaction) => Http.Add(transaction);

    public void OnTls(TlsTransaction transaction) => Tls.Add(transaction);

    public void OnDiagnostic(WireDiagnostic diagnostic) => Diagnostics.Add(diagnostic);

    public void OnFileEnd(CaptureFileSummary summary)
    {
    }
}
