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

        // Then
        Assert.Equal(StreamConversation.ClientEndpoint, Assert.Single(c.Sink.Tls).Client);
    }
}
