using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Tests.Protocols.MySql;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Protocols.Tls;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols;

public class ProtocolRegistryTests
{
    private readonly RecordingSink _sink = new();
    private readonly ProtocolRegistry _registry;

    public ProtocolRegistryTests() => _registry = new ProtocolRegistry(_sink);

    public static TheoryData<string, ushort, bool, bool, string, string?> TcpCases => new()
    {
        // first payload, server port, from client, mid-stream → protocol (null: none)
        { "DNS query over TCP", 53, true, false, Hex.Of(DnsBytesFramed()), "dns" },
        { "TLS ClientHello on 8443", 8443, true, false, Hex.Of(TlsBytes.ChromeRecord), "tls" },
        { "HTTP request on 9000", 9000, true, false, Hex.Of("GET / HTTP/1.1\r\n\r\n"u8), "http" },
        { "HTTP response first, mid-stream", 9000, false, true, Hex.Of("HTTP/1.1 200 OK\r\n"u8), "http" },
        { "MySQL greeting on 20130", 20130, false, false, Hex.Of(TranscriptPayload.Of("deepflow__mysql-error-initdb", 4)), "mysql" },
        { "COM_QUERY mid-stream on 30130", 30130, true, true, Hex.Of(MySqlBytes.Query("select 1")), "mysql" },
        { "COM_PING from the guessed server, mid-stream", 30130, false, true, "010000000e", "mysql" },
        { "COM_PING from the server of a connection with a handshake", 30130, false, false, "010000000e", null },
        { "ERR 1130 before any greeting on 3306", 3306, false, false, Hex.Of(MySqlBytes.Packet(0, [0xFF, 0x6A, 0x04, .. "Host 'x' is not allowed"u8])), "mysql" },
        { "unknown bytes on 3306", 3306, true, true, "deadbeef", "mysql" },
        { "unknown bytes on 8080", 8080, true, false, "00010000050000000200", "http" },
        { "unknown bytes on 9999", 9999, true, false, "deadbeef", null },
        { "a text protocol that is not HTTP", 6379, true, false, Hex.Of("*1\r\n$4\r\nPING\r\n"u8), null },
    };

    [Theory]
    [MemberData(nameof(TcpCases))]
    public void TcpDissectorIsChosenByShapeThenPort(string scenario, ushort serverPort, bool fromClient, bool midStream, string firstPayloadHex, string? protocol)
    {
        // Given
        var client = new WireEndpoint(NetAddress.Parse("198.18.1.20"), 45000);
        var server = new WireEndpoint(NetAddress.Parse("198.18.2.20"), serverPort);
        var context = new TcpStreamContext(client, server, midStream, "f", _sink);

        // When
        var dissector = _registry.CreateTcp(context, Hex.Parse(firstPayloadHex), fromClient);

        // Then
        Assert.True(protocol == dissector?.Protocol, $"{scenario}: expected {protocol ?? "none"}, got {dissector?.Protocol ?? "none"}");
    }

    [Theory]
    [InlineData(40000, 53, true)]
    [InlineData(53, 40000, true)]
    [InlineData(5353, 5353, false)] // mDNS is not unicast DNS
    [InlineData(40000, 123, false)]
    public void UdpPort53GoesToTheOneSharedDnsDissector(ushort sourcePort, ushort destinationPort, bool dns)
    {
        // When
        var first = _registry.ForUdp(sourcePort, destinationPort, []);
        var second = _registry.ForUdp(destinationPort, sourcePort, []);

        // Then
        Assert.Equal(dns, first is not null);
        Assert.Same(first, second);
        Assert.Equal(dns ? [_registry.Dns] : Array.Empty<IUdpDissector>(), _registry.UdpDissectors);
    }

    private static byte[] DnsBytesFramed() => Dns.DnsBytes.Framed(Dns.DnsBytes.Query(1, "db.shop"));
}
