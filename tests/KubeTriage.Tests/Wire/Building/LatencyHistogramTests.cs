using KubeTriage.Wire.Building;

namespace KubeTriage.Tests.Wire.Building;

public class LatencyHistogramTests
{
    [Fact]
    public void QuantilesAreWithinTheBucketWidthAndInsideTheExtremes()
    {
        // Given: 1..1000 ms, one each
        var histogram = new LatencyHistogram();
        for (var ms = 1000; ms >= 1; ms--)
        {
            histogram.Add(ms * 1_000_000L);
        }

        // When
        var median = histogram.Quantile(0.5);
        var p99 = histogram.Quantile(0.99);

        // Then
        Assert.Equal((1000L, 1_000_000L, 1_000_000_000L), (histogram.Count, histogram.MinNs, histogram.MaxNs));
        Assert.InRange(median, 500_000_000 * 0.955, 500_000_000 * 1.045);
        Assert.InRange(p99, 990_000_000 * 0.955, 1_000_000_000);
        Assert.Equal(1_000_000_000, histogram.Quantile(1));
    }

    [Fact]
    public void ExtremesOutsideTheBucketsAreExact()
    {
        // Given: below a microsecond, and above the last bucket (about 2 min)
        var histogram = new LatencyHistogram();
        histogram.Add(300);
        histogram.Add(600_000_000_000);

        // Then
        Assert.Equal((300L, 600_000_000_000L), (histogram.Quantile(0.5), histogram.Quantile(0.99)));
        Assert.Equal(0, new LatencyHistogram().Quantile(0.5));
    }
}
