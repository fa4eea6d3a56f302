using KubeTriage.Capture.Protocols;
using KubeTriage.Capture.Tests.Protocols.Support;
using KubeTriage.Capture.Tests.Support;

namespace KubeTriage.Capture.Tests.Protocols;

/// <summary>
/// The capture engine with the <see cref="ProtocolRegistry"/> over the lab's own recordings
/// (tests/testdata/pcap/lab, real MariaDB, dnsmasq and HTTP servers; see its README): the
/// <c>tcpdump -i any</c> file of each case, where every forwarded packet is seen on two interfaces.
/// </summary>
public class LabCaptureDissectionTests
{
    public static TheoryData<string> Cases => new() { "healthy", "nic", "route", "cluster-dns", "slow-db", "wrong-dns", "incident" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DissectionOfTheAnyInterfaceRecordingMatchesTheGoldenFile(string labCase)
    {
        // Given
        var root = TestCaptures.RepositoryRoot()!;
        var path = Path.Combine(root, "tests", "testdata", "pcap", "lab", labCase, "any.pcap");
        var sink = new RecordingSink();

        // When
        var result = CaptureEngine.Run([path], sink, new ProtocolRegistry(sink));

        // Then
        Assert.True(result.Succeeded);
        Golden.Verify("Protocols", "lab-" + labCase, TransactionText.Of(sink));
    }

    [Fact]
    public void DissectionOfTheHttp2RecordingMatchesTheGoldenFile()
    {
        // Given: tests/testdata/pcap/h2c/grpc-h2c.pcap (tests/lab/record-h2.sh: python3-h2 and curl)
        var path = Path.Combine(TestCaptures.RepositoryRoot()!, "tests", "testdata", "pcap", "h2c", "grpc-h2c.pcap");
        var sink = new RecordingSink();

        // When
        var result = CaptureEngine.Run([path], sink, new ProtocolRegistry(sink));

        // Then: eight gRPC calls on one connection, and curl's two requests
        Assert.True(result.Succeeded);
        Assert.Equal(10, sink.Http.Count);
        Golden.Verify("Protocols", "lab-h2c", TransactionText.Of(sink));
    }

    [Fact]
    public void DissectionOfTheLateJoinedHttp2RecordingMatchesTheGoldenFile()
    {
        // Given: tests/testdata/pcap/h2c/grpc-h2c-late.pcap: no handshake, no preface, HPACK tables filled before
        var path = Path.Combine(TestCaptures.RepositoryRoot()!, "tests", "testdata", "pcap", "h2c", "grpc-h2c-late.pcap");
        var sink = new RecordingSink();

        // When
        var result = CaptureEngine.Run([path], sink, new ProtocolRegistry(sink));

        // Then: the four calls, read from their frames
        Assert.True(result.Succeeded);
        Assert.Equal(4, sink.Http.Count);
        Golden.Verify("Protocols", "lab-h2c-late", TransactionText.Of(sink));
    }
}
