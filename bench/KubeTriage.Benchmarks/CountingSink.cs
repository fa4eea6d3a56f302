using KubeTriage.Capture;
using KubeTriage.Capture.Files;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Dns;
using KubeTriage.Capture.Protocols.Http;
using KubeTriage.Capture.Protocols.MySql;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Benchmarks;

/// <summary>A sink that only counts: what the engine costs without a consumer.</summary>
public sealed class CountingSink : ICaptureSink
{
    public long Packets;
    public long PayloadBytes;
    public long Turns;
    public long Connections;
    public long FailedConnections;
    public long UdpFlows;
    public long Transactions;
    public long Diagnostics;

    public void OnFileStart(CaptureFileInfo file)
    {
    }

    public void OnInterface(CaptureInterface captureInterface)
    {
    }

    public void OnPacket(in PacketMeta packet)
    {
        Packets++;
        PayloadBytes += packet.PayloadLength;
    }

    public void OnTcpTurn(in TcpTurn turn) => Turns++;

    public void OnTcpConnection(TcpConnection connection)
    {
        Connections++;
        if (connection.Outcome is TcpOutcome.NoReply or TcpOutcome.Refused)
        {
            FailedConnections++;
        }
    }

    public void OnUdpFlow(UdpFlow flow) => UdpFlows++;

    public void OnDns(DnsTransaction transaction) => Transactions++;

    public void OnMySql(MySqlTransaction transaction) => Transactions++;

    public void OnHttp(HttpTransaction transaction) => Transactions++;

    public void OnTls(TlsTransaction transaction) => Transactions++;

    public void OnDiagnostic(WireDiagnostic diagnostic) => Diagnostics++;

    public void OnFileEnd(CaptureFileSummary summary)
    {
    }
}
