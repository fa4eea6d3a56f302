namespace KubeTriage.Capture.Files;

/// <summary>
/// Converts pcapng timestamps to Unix nanoseconds. <c>if_tsresol</c>: high bit clear means units of
/// 10^-n seconds, set means 2^-n seconds; microseconds (6) when absent.
/// </summary>
internal readonly struct PcapNgTimestamp
{
    private readonly ulong _unitsPerSecond;
    private readonly long _offsetNs;

    private PcapNgTimestamp(ulong unitsPerSecond, long offsetNs)
    {
        _unitsPerSecond = unitsPerSecond;
        _offsetNs = offsetNs;
    }

    public static bool TryCreate(byte resolution, long offsetSeconds, out PcapNgTimestamp timestamp)
    {
        int exponent = resolution & 0x7F;
        ulong units;
        if ((resolution & 0x80) != 0)
        {
            if (exponent > 63)
            {
                timestamp = default;
                return false;
            }

            units = 1UL << exponent;
        }
        else
        {
            if (exponent > 19)
            {
                timestamp = default;
                return false;
            }

            units = 1;
            for (int i = 0; i < exponent; i++)
            {
                units *= 10;
            }
        }

        timestamp = new PcapNgTimestamp(units, offsetSeconds * 1_000_000_000L);
        return true;
    }

    public long ToNanoseconds(ulong raw)
    {
        // The common resolutions skip the 128-bit division.
        long ns = _unitsPerSecond switch
        {
            1_000_000 => (long)(raw * 1000),
            1_000_000_000 => (long)raw,
            _ => (long)((UInt128)raw * 1_000_000_000UL / _unitsPerSecond),
        };
        return ns + _offsetNs;
    }
}
