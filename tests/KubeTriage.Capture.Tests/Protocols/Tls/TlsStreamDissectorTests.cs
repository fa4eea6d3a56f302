using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Tls;

public class TlsStreamDissectorTests
{
    private static StreamConversation Conversation(bool midStream = false, bool swapped = false) =>
        new(context => new TlsStreamDissector(context, new TextCache(), swapped), midStream, swapped);

    [Fact]
    public void ClientHelloInOneRecordIsReportedAndTheRestSkipped()
    {
        // Given
        var c = Conversation();

        // When
        c.Client(TlsBytes.ChromeRecord);
        c.Server(Support.Hex.Parse("160303003d020000390303"));
        c.Client(Support.Hex.Parse("1703030020deadbeef"));
        c.End();

        // Then
        var t = Assert.Single(c.Sink.Tls);
        Assert.Equal(("google.de", (ushort)0x0303, 1L, StreamConversation.ClientEndpoint), (t.Sni, t.LegacyVersion, t.Frame, t.Client));
        Assert.Equal(0, c.Buffered(fromClient: true));
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void ClientHelloSplitOverRecordsIsPutBackTogether()
    {
        // Given: the Chrome hello in 50-byte records.
        var c = Conversation();

        // When
        c.Client(TlsBytes.Records(TlsBytes.ChromeHandshake, maxFragment: 50));
        c.End();

        // Then
        Assert.Equal("google.de", Assert.Single(c.Sink.Tls).Sni);
    }

    [Fact]
    public void ClientHelloSplitOverSegmentsKeepsTheFirstSegmentsTimeAndFrame()
    {
        // Given
        var c = Conversation();
        var records = TlsBytes.Records(TlsBytes.ChromeHandshake, maxFragment: 60);

        // When: one byte per segment.
        foreach (var b in records)
        {
            c.Client([b]);
        }

        c.End();

        // Then
        var t = Assert.Single(c.Sink.Tls);
        Assert.Equal((1_000_000L, 1L), (t.TimeNs, t.Frame));
    }

    [Fact]
    public void ApplicationDataBeforeAnyHelloIsReported()
    {
        // Given
        var c = Conversation();

        // When
        c.Client(Support.Hex.Parse("1703030005 0102030405"));

        // Then
        var d = Assert.Single(c.Sink.Diagnostics);
        Assert.Equal((WireError.TlsBadRecord, "record before the ClientHello is not a handshake record"), (d.Reason, d.Message));
        Assert.Empty(c.Sink.Tls);
    }

    [Fact]
    public void HandshakeClaimingMoreThan64KilobytesIsRefusedBeforeBuffering()
    {
        // Given: a ClientHello header declaring 1 MB.
        var c = Conversation();

        // When
        c.Client(TlsBytes.Records(Support.Hex.Parse("01100000 0303")));

        // Then
        Assert.Equal(WireError.TlsHandshakeTooLarge, Assert.Single(c.Sink.Diagnostics).Reason);
    }

    [Fact]
    public void SwappedRolesStillNameTheRealClient()
    {
        // Given
        var c = Conversation(midStream: true, swapped: true);

        // When
        c.Client(TlsBytes.ChromeRecord);
        c.End();

        // Then
        Assert.Equal(StreamConversation.ClientEndpoint, Assert.Single(c.Sink.Tls).Client);
    }

    [Fact]
    public void AHandshakeStillOpenAtTheEndIsReportedWithItsServerNameAndAnUnknownOutcome()
    {
        // Given
        var c = Conversation();

        // When: the ClientHello and the ServerHello, then the capture ends
        c.Client(TlsBytes.ChromeRecord);
        c.Server(ServerHello(tls13: false));
        Assert.Empty(c.Sink.Tls);
        c.End();

        // Then
        var t = Assert.Single(c.Sink.Tls);
        Assert.Equal(("google.de", TlsHandshakeOutcome.Unknown, (ushort)0x0303, false), (t.Sni, t.Outcome, t.Version, t.Failed));
    }

    [Fact]
    public void ATls12ClientThatRejectsTheCertificateSendsItsAlertInTheClear()
    {
        // Given
        var c = Conversation();

        // When: ServerHello and a 3000-byte Certificate record in 100-byte segments, then the client's fatal unknown_ca
        c.Client(TlsBytes.ChromeRecord);
        c.Server(ServerHello(tls13: false));
        foreach (var chunk in Record(TlsRecordHeader.Handshake, new byte[3000]).Chunk(100))
        {
            c.Server(chunk);
            Assert.True(c.Buffered(fromClient: false) < 100);
        }

        c.Client(Record(TlsRecordHeader.Alert, [TlsAlert.Fatal, 48]));

        // Then
        var t = Assert.Single(c.Sink.Tls);
        Assert.Equal((TlsHandshakeOutcome.ClientAlert, (byte?)48, "TLS 1.2", true), (t.Outcome, t.Alert, t.VersionName, t.Failed));
        Assert.Equal("unknown_ca", TlsAlert.Name(t.Alert!.Value));
        Assert.True(t.EndFrame > t.Frame);
    }

    [Fact]
    public void AServerThatRefusesTheHelloAnswersWithAnAlertInTheClear()
    {
        // Given
        var c = Conversation();

        // When
        c.Client(TlsBytes.ChromeRecord);
        c.Server(Record(TlsRecordHeader.Alert, [TlsAlert.Fatal, 70]));

        // Then
        var t = Assert.Single(c.Sink.Tls);
        Assert.Equal((TlsHandshakeOutcome.ServerAlert, (byte?)70, (ushort)0), (t.Outcome, t.Alert, t.Version));
    }

    [Fact]
    public void AWarningOtherThanCloseNotifyDoesNotEndTheHandshake()
    {
        // Given
        var c = Conversation();

        // When: a warning unrecognized_name, then the handshake goes on to both ChangeCipherSpecs
        c.Client(TlsBytes.ChromeRecord);
        c.Server(Record(TlsRecordHeader.Alert, [TlsAlert.Warning, 112]));
        c.Server(ServerHello(tls13: false));
        c.Client(Record(TlsRecordHeader.ChangeCipherSpec, [1]));
        Assert.Empty(c.Sink.Tls);
        c.Server(Record(TlsRecordHeader.ChangeCipherSpec, [1]));

        // Then
        var t = Assert.Single(c.Sink.Tls);
        Assert.Equal((TlsHandshakeOutcome.Completed, (byte?)null), (t.Outcome, t.Alert));
    }

    [Theory]
    [InlineData(53, 200, TlsHandshakeOutcome.Completed)]
    [InlineData(53, 19, TlsHandshakeOutcome.ServerAlert)]
    [InlineData(19, 0, TlsHandshakeOutcome.ClientAlert)]
    public void InTls13TheClientsFirstEncryptedRecordAndTheServersNextOneAreAlertsOrNotByTheirSize(int clientLength, int serverLength, TlsHandshakeOutcome expected)
    {
        // Given
        var c = Conversation();

        // When: ServerHello (TLS 1.3), the server's encrypted flight, the client's compatibility ChangeCipherSpec and first
        // encrypted record (its Finished, or an alert), then the server's next record (a session ticket, or an alert)
        c.Client(TlsBytes.ChromeRecord);
        c.Server([.. ServerHello(tls13: true), .. Record(TlsRecordHeader.ChangeCipherSpec, [1]), .. Record(TlsRecordHeader.ApplicationData, new byte[2500])]);
        c.Client(Record(TlsRecordHeader.ChangeCipherSpec, [1]));
        Assert.Empty(c.Sink.Tls);
        c.Client(Record(TlsRecordHeader.ApplicationData, new byte[clientLength]));
        if (serverLength > 0)
        {
            Assert.Empty(c.Sink.Tls);
            c.Server(Record(TlsRecordHeader.ApplicationData, new byte[serverLength]));
        }

        // Then
        var t = Assert.Single(c.Sink.Tls);
        Assert.Equal((expected, "TLS 1.3", (byte?)null), (t.Outcome, t.VersionName, t.Alert));
        Assert.Equal(expected == TlsHandshakeOutcome.ServerAlert ? 5 : 4, t.EndFrame);
    }

    [Fact]
    public void ATls13ClientsFinishedTheServerNeverRefusedIsACompletedHandshakeAtTheEnd()
    {
        // Given
        var c = Conversation();

        // When: the server sends no session ticket and the capture ends
        c.Client(TlsBytes.ChromeRecord);
        c.Server([.. ServerHello(tls13: true), .. Record(TlsRecordHeader.ApplicationData, new byte[2500])]);
        c.Client(Record(TlsRecordHeader.ApplicationData, new byte[53]));
        c.End();

        // Then
        var t = Assert.Single(c.Sink.Tls);
        Assert.Equal((TlsHandshakeOutcome.Completed, 3L), (t.Outcome, t.EndFrame));
    }

    [Fact]
    public void AServerThatAnswersInPlainTextIsNotTls()
    {
        // Given
        var c = Conversation();

        // When
        c.Client(TlsBytes.ChromeRecord);
        c.Server("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());

        // Then
        Assert.Equal(TlsHandshakeOutcome.ServerNotTls, Assert.Single(c.Sink.Tls).Outcome);
        Assert.Empty(c.Sink.Diagnostics);
    }

    [Fact]
    public void EveryPrefixOfAServerHelloIsNeedMore()
    {
        var hello = ServerHello(tls13: true)[TlsRecordHeader.Size..];
        for (int i = 0; i < hello.Length; i++)
        {
            Assert.True(ServerHelloMessage.TryRead(hello.AsSpan(0, i), out _).IsNeedMore, $"prefix {i}");
        }

        Assert.True(ServerHelloMessage.TryRead(hello, out var parsed).IsParsed);
        Assert.Equal((ushort)0x0304, parsed.Version);
    }

    /// <summary>A ServerHello record choosing TLS 1.2, or TLS 1.3 through supported_versions.</summary>
    private static byte[] ServerHello(bool tls13)
    {
        byte[] body =
        [
            0x03, 0x03, .. Enumerable.Repeat((byte)0x11, 32), 0x00, 0x13, 0x01, 0x00,
            .. tls13 ? new byte[] { 0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04 } : [],
        ];
        return Record(TlsRecordHeader.Handshake, [ServerHelloMessage.HandshakeType, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body]);
    }

    private static byte[] Record(byte type, byte[] body) => [type, 3, 3, (byte)(body.Length >> 8), (byte)body.Length, .. body];
}
