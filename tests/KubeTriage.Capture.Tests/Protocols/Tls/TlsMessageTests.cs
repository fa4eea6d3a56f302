using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Tls;

public class TlsMessageTests
{
    [Fact]
    public void ChromeClientHelloGivesTheServerName()
    {
        // Given
        var record = TlsBytes.ChromeRecord;

        // When
        var recordResult = TlsRecordHeader.TryRead(record, out var header);
        var helloResult = ClientHelloMessage.TryRead(header.Fragment, out var hello);

        // Then
        Assert.Equal((ReadStatus.Parsed, record.Length, TlsRecordHeader.Handshake, (ushort)0x0301), (recordResult.Status, recordResult.Consumed, header.ContentType, header.Version));
        Assert.Equal((ReadStatus.Parsed, header.Fragment.Length), (helloResult.Status, helloResult.Consumed));
        Assert.Equal(("google.de", (ushort)0x0303), (Encoding.ASCII.GetString(hello.ServerName), hello.LegacyVersion));
        Assert.True(hello.CipherSuiteCount > 5);
    }

    [Theory]
    [InlineData("", 0)] // no extensions at all: an SSL 3.0-era hello
    [InlineData("000a00020017", 1)] // supported_groups only, no SNI
    public void ClientHelloWithoutServerNameHasAnEmptyOne(string extensions, int count)
    {
        // Given
        var hello = TlsBytes.Hello(extensions, withExtensions: count > 0);

        // When
        var result = ClientHelloMessage.TryRead(hello, out var message);

        // Then
        Assert.Equal(ReadStatus.Parsed, result.Status);
        Assert.True(message.ServerName.IsEmpty);
        Assert.Equal(count, message.ExtensionCount);
    }

    [Fact]
    public void ServerNameAfterOtherExtensionsAndASessionIdIsFound()
    {
        // Given: supported_groups, server_name, then ALPN "h2", and a 32-byte session id.
        var hello = TlsBytes.Hello("000a00020017" + TlsBytes.Sni("oss.example.com") + "0010 0005 0003 02 6832", sessionIdHex: new string('a', 64));

        // When
        var result = ClientHelloMessage.TryRead(hello, out var message);

        // Then
        Assert.Equal(ReadStatus.Parsed, result.Status);
        Assert.Equal(("oss.example.com", 3), (Encoding.ASCII.GetString(message.ServerName), message.ExtensionCount));
    }

    [Theory]
    [InlineData("1903010000", WireError.TlsBadRecord, 0, "record type is not 20 to 24")]
    [InlineData("1603050000", WireError.TlsUnsupportedVersion, 1, "record version is not SSL 3.0 to TLS 1.3")]
    [InlineData("1602000000", WireError.TlsUnsupportedVersion, 1, "record version is not SSL 3.0 to TLS 1.3")] // SSL 2 style
    [InlineData("160301ffff", WireError.TlsBadRecord, 3, "record longer than 2^14 + 2048 bytes")]
    [InlineData("4745", WireError.TlsBadRecord, 0, "record type or version is not TLS")] // "GE": not a record start
    public void MalformedRecordGivesTheExactReason(string hex, WireError error, int offset, string message)
    {
        // When
        var result = TlsRecordHeader.TryRead(Hex.Parse(hex), out _);

        // Then
        Assert.Equal((ReadStatus.Malformed, error, offset, message), (result.Status, result.Error, result.Offset, result.Message));
    }

    public static TheoryData<string, string> MalformedHellos => new()
    {
        { "02000000", "first handshake message is not a ClientHello" }, // a ServerHello
        { "0100000403030000", "ClientHello shorter than its fixed fields" },
        { Hex.Of(TlsBytes.Hello("", sessionIdHex: new string('a', 66), withExtensions: false)), "session id, cipher suites or compression methods out of range" }, // 33-byte session id
        { Hex.Of(TlsBytes.Hello("", suitesHex: "c02f00", withExtensions: false)), "session id, cipher suites or compression methods out of range" }, // odd cipher suites length
        { Hex.Of(TlsBytes.Hello("000a0005001700")), "extension runs past the extensions block" },
        { Hex.Of(TlsBytes.Hello("0000000100")), "server_name list length does not fill the extension" },
    };

    [Theory]
    [MemberData(nameof(MalformedHellos))]
    public void MalformedClientHelloGivesTheExactReason(string hex, string message)
    {
        // When
        var result = ClientHelloMessage.TryRead(Hex.Parse(hex), out _);

        // Then
        Assert.Equal((ReadStatus.Malformed, WireError.TlsBadClientHello, message), (result.Status, result.Error, result.Message));
    }

    [Theory]
    [InlineData("0000000100", "server_name list length does not fill the extension")]
    [InlineData("000000050003000005", "server_name entry runs past its list")]
    public void MalformedServerNameGivesTheExactReason(string extensionHex, string message)
    {
        // Given: the extension data after type and length.
        var data = Hex.Parse(extensionHex)[4..];

        // When
        var result = ServerNameExtension.TryRead(data, out _);

        // Then
        Assert.Equal((WireError.TlsBadClientHello, message), (result.Error, result.Message));
    }

    [Fact]
    public void ExtensionsLengthThatDoesNotFillTheHelloIsMalformed()
    {
        // Given: an extensions block claiming one byte more than there is, inside a consistent handshake length.
        var hello = TlsBytes.Hello("000a00020017");
        hello[^8]++;

        // When
        var result = ClientHelloMessage.TryRead(hello, out _);

        // Then
        Assert.Equal((WireError.TlsBadClientHello, "extensions length does not fill the ClientHello"), (result.Error, result.Message));
    }

    [Fact]
    public void EveryPrefixOfTheChromeRecordAndHelloIsNeedMore()
    {
        // Given
        var record = TlsBytes.ChromeRecord;
        var hello = TlsBytes.ChromeHandshake;

        // When / Then
        for (var length = 0; length < record.Length; length++)
        {
            var result = TlsRecordHeader.TryRead(record.AsSpan(0, length), out _);
            Assert.True(result.IsNeedMore, $"record prefix {length}: {result}");
        }

        for (var length = 0; length < hello.Length; length++)
        {
            var result = ClientHelloMessage.TryRead(hello.AsSpan(0, length), out _);
            Assert.True(result.IsNeedMore, $"hello prefix {length}: {result}");
        }
    }
}
