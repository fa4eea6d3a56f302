using System.Text.Json;
using KubeTriage.Reports;
using KubeTriage.Wire;
using KubeTriage.Wire.ReportModel;

namespace KubeTriage.Tests.Reports;

public class CaptureTransactionRowTests
{
    private static CaptureHttpReport Download(string path, double latency, int gaps) =>
        new("2026-11-28T18:42:24.435658Z", "198.18.1.20", "198.19.249.132", "oss.example.com", "GET", path, 200, 205004, latency, 80, 183, "any.pcap", gaps);

    [Fact]
    public void HttpRowSaysWhenTheCaptureMissedBytesOfTheExchange()
    {
        // Given
        var capture = new CaptureReport { Http = [Download("/whole.bin", 0.5, 0), Download("/object.bin", 1.982362, 3)] };

        // When
        var rows = CaptureTransactionRow.Slowest(capture, 10);

        // Then
        Assert.Equal(
            [("GET oss.example.com/object.bin", "200 (3 gaps)", 1.982362), ("GET oss.example.com/whole.bin", "200", 0.5)],
            rows.Select(r => (r.What, r.Result, r.LatencySeconds)));
    }

    [Fact]
    public void JsonCarriesGapsOnlyWhenBytesWereMissing()
    {
        // When
        var whole = JsonSerializer.Serialize(Download("/whole.bin", 0.5, 0), JsonReport.Options);
        var cut = JsonSerializer.Serialize(Download("/object.bin", 1.982362, 3), JsonReport.Options);

        // Then
        Assert.DoesNotContain("gaps", whole, StringComparison.Ordinal);
        Assert.Contains("\"gaps\":3", cut.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
