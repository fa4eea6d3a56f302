using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;
using KubeTriage.Names;
using KubeTriage.Reports;
using KubeTriage.Tests.Wire;
using KubeTriage.Wire;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Reports;

/// <summary>
/// A report of a capture that shows the incident's wire faults (SYNs to the database leaving the wrong NIC,
/// 13 slow queries, an object store reached at a wrong DNS answer), built from sink calls with a fixed
/// report time, for golden tests of every format.
/// </summary>
internal static class IncidentReport
{
    public const string Pod = "198.18.1.20";
    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public const string Expect =
        "dependencies:\n  - name: example-api.com\n  - name: mysql\n    address: 198.18.2.20:3306\n  - name: oss.example.com\n    resolvesTo: [198.18.3.0/24]\nslowQueryMs: 1000\n";

    public static Report Build()
    {
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        Start(builder, "eth0.pcap", "eth1.pcap");
        Packets(builder, 0, Pod, "198.18.2.20", 12, atMs: 0);
        Packets(builder, 1, Pod, "198.18.2.10", 6, atMs: 100, protocol: IpProtocol.Udp);
        Packets(builder, 1, "198.18.2.10", Pod, 6, atMs: 101, protocol: IpProtocol.Udp);
        Packets(builder, 1, Pod, "198.18.2.20", 40, atMs: 30_000);
        Packets(builder, 1, "198.18.2.20", Pod, 40, atMs: 30_001);
        Packets(builder, 1, Pod, "198.19.249.132", 30, atMs: 90_000);
        Packets(builder, 1, "198.19.249.132", Pod, 60, atMs: 90_001, bytes: 1400);

        builder.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.NoReply, 0, syns: 6, frame: 3, interfaces: [0]));
        builder.OnTcpConnection(Connect(Pod, 40002, "198.18.2.20", 3306, TcpOutcome.NoReply, 20_000, syns: 6, frame: 9, interfaces: [0]));
        builder.OnDns(Dns(Pod, "198.18.2.10", "example-api.com", 100, latencyMs: 1.2, frame: 20, answers: "198.18.4.10"));
        builder.OnDns(Dns(Pod, "198.18.2.10", "example-api.com.default.svc.cluster.local", 99, rcode: 3, latencyMs: 0.8, frame: 19));
        builder.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 89_990, latencyMs: 2.5, frame: 400, answers: "198.19.249.132"));
        builder.OnTcpConnection(Connect(Pod, 40003, "198.18.2.20", 3306, TcpOutcome.Established, 30_000, rttMs: 0.3, durationMs: 55_000, protocol: "mysql", frame: 100, interfaces: [1]));
        for (var i = 0; i < 13; i++)
        {
            builder.OnMySql(Query(Pod, "198.18.2.20", "CALL business_query()", 30_010 + i * 4_100, 4_000 + i * 10, frame: 110 + i * 2));
        }

        builder.OnTcpConnection(Connect(Pod, 40004, "198.19.249.132", 80, TcpOutcome.Established, 90_000, rttMs: 40, durationMs: 30_000, protocol: "http", frame: 401, interfaces: [1]));
        for (var i = 0; i < 3; i++)
        {
            builder.OnHttp(Http(Pod, "198.19.249.132", "oss.example.com", $"/objects/{i}.csv", 90_050 + i * 9_000, 8_500, frame: 405 + i * 20));
        }

        builder.OnDiagnostic(new WireDiagnostic(WireError.FlowMidStream, Synthetic.File, 1, "198.18.1.20:39999 > 198.18.2.20:3306", 0, string.Empty, "capture started mid-connection"));
        End(builder, 194, 0, 120_000);

        var evidence = builder.Build();
        return CaptureDiagnosis.ToReport(evidence, ExpectationsLoader.Parse(Expect, "expect.yaml"), GeneratedAt);
    }
}
