using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Dns;

/// <summary>
/// Dissection transcripts of the public DNS captures (see <c>../shared/testdata/pcaps/SOURCES.md</c>;
/// payloads extracted into <c>Fixtures/Transcripts</c>), replayed through the protocol registry.
/// </summary>
public class DnsGoldenTests
{
    [Theory]
    [InlineData("chrissanders__dns-no-response", "chrissanders__dns-no-response.pcapng")]
    [InlineData("chrissanders__dns-servfail-branch", "chrissanders__dns-servfail-branch.pcapng")]
    [InlineData("chrissanders__tcp-syn-no-answer-after-dns", "chrissanders__tcp-syn-no-answer-after-dns.pcapng")]
    [InlineData("deepflow__dns-nxdomain-k8s-search", "deepflow__dns-nxdomain-k8s-search.pcap")]
    [InlineData("deepflow__dns-over-tcp-multi", "deepflow__dns-over-tcp-multi.pcap")]
    [InlineData("zeek__dns-ipv6-fragmented", "zeek__dns-ipv6-fragmented.pcap")]
    [InlineData("zeek__pcapng-multi-interface", "zeek__pcapng-multi-interface.pcapng")]
    public void TranscriptMatchesTheVerifiedOutput(string transcript, string capture)
    {
        // Given
        // When
        var sink = TranscriptReplay.Run(transcript, capture);

        // Then
        GoldenFile.Verify("Dns", transcript, TransactionText.Of(sink));
    }
}
