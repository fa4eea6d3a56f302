using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.MySql;

/// <summary>
/// Dissection transcripts of the public MySQL captures (see <c>../shared/testdata/pcaps/SOURCES.md</c>;
/// payloads extracted into <c>Fixtures/Transcripts</c>), replayed through the protocol registry.
/// </summary>
public class MySqlGoldenTests
{
    [Theory]
    [InlineData("deepflow__mysql-171-k8s", "deepflow__mysql-171-k8s.pcap")]
    [InlineData("deepflow__mysql-error-initdb", "deepflow__mysql-error-initdb.pcap")]
    [InlineData("deepflow__mysql-login-too-many-conns", "deepflow__mysql-login-too-many-conns.pcap")]
    [InlineData("deepflow__mysql-prepared-stmt", "deepflow__mysql-prepared-stmt.pcap")]
    [InlineData("zeek__mysql-auth-failures", "zeek__mysql-auth-failures.pcap")]
    [InlineData("zeek__mysql-crud", "zeek__mysql-crud.pcap")]
    [InlineData("zeek__mysql-deprecate-eof", "zeek__mysql-deprecate-eof.pcap")]
    [InlineData("zeek__mysql-tls-encrypted", "zeek__mysql-tls-encrypted.pcap")]
    public void TranscriptMatchesTheVerifiedOutput(string transcript, string capture)
    {
        // Given
        // When
        var sink = TranscriptReplay.Run(transcript, capture);

        // Then
        GoldenFile.Verify("MySql", transcript, TransactionText.Of(sink));
    }
}
