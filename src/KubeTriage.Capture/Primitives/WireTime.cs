namespace KubeTriage.Capture.Primitives;

/// <summary>Packet times are Unix-epoch nanoseconds in a <see cref="long"/>; this converts them at report time.</summary>
public static class WireTime
{
    public static DateTimeOffset ToDateTimeOffset(long unixNanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(unixNanoseconds / 100);

    public static double ToSeconds(long nanoseconds) => nanoseconds / 1e9;
}
