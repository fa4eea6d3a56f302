namespace KubeTriage.Wire.Building;

/// <summary>
/// Latencies counted in buckets an eighth of a power of two wide (a value is known within ±4.5%), from 1 µs to
/// about two minutes, so a median and a p99 over millions of transactions take a fixed 1.7 kB. The smallest and
/// the largest value are kept exactly, and quantiles never fall outside them.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int PerOctave = 8;
    private const int Octaves = 27;

    /// <summary>Below 1 µs, then <see cref="PerOctave"/> per power of two up to 2^27 µs, then everything above.</summary>
    private readonly long[] _counts = new long[(Octaves * PerOctave) + 2];

    public long Count { get; private set; }

    public long MinNs { get; private set; } = long.MaxValue;

    public long MaxNs { get; private set; }

    public void Add(long ns)
    {
        ns = Math.Max(0, ns);
        _counts[Bucket(ns)]++;
        Count++;
        MinNs = Math.Min(MinNs, ns);
        MaxNs = Math.Max(MaxNs, ns);
    }

    /// <summary>The value below which a share <paramref name="q"/> of the values fall (0 when there are none).</summary>
    public long Quantile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Clamp((long)Math.Ceiling(q * Count), 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Clamp(Middle(i), MinNs, MaxNs);
            }
        }

        return MaxNs;
    }

    private int Bucket(long ns)
    {
        var micros = ns / 1e3;
        if (micros < 1)
        {
            return 0;
        }

        return Math.Min(_counts.Length - 1, 1 + (int)(Math.Log2(micros) * PerOctave));
    }

    /// <summary>The geometric middle of a bucket; the first and last have none and fall back on the exact extremes.</summary>
    private long Middle(int bucket) => bucket switch
    {
        0 => MinNs,
        _ when bucket == _counts.Length - 1 => MaxNs,
        _ => (long)(Math.Pow(2, (bucket - 1 + 0.5) / PerOctave) * 1e3),
    };
}
