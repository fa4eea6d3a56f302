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
}
