namespace KubeTriage.Capture.Protocols;

/// <summary>
/// Writes addresses as ASCII without allocating: dotted quad, and IPv6 in the RFC 5952 canonical form
/// (lower-case hex, no leading zeros, the first longest run of two or more zero groups as <c>::</c>,
/// IPv4-mapped addresses as <c>::ffff:a.b.c.d</c>), the same text <see cref="System.Net.IPAddress"/> prints.
/// </summary>
internal static class AddressText
{
    public const int MaxIPv6Bytes = 45;

    public static int WriteIPv4(ReadOnlySpan<byte> address, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                destination[written++] = (byte)'.';
            }

            written += WriteDecimal(address[i], destination[written..]);
        }

        return written;
    }

    public static int WriteIPv6(ReadOnlySpan<byte> address, Span<byte> destination)
    {
        Span<ushort> groups = stackalloc ushort[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = (ushort)(address[2 * i] << 8 | address[2 * i + 1]);
        }

        var written = 0;
        if (groups[..5].IndexOfAnyExcept((ushort)0) < 0 && groups[5] == 0xFFFF)
        {
            "::ffff:"u8.CopyTo(destination);
            written = 7;
            return written + WriteIPv4(address[12..], destination[written..]);
        }

        // The longest run of zero groups (at least two); the first one wins a tie.
        int bestStart = -1, bestLength = 0;
        for (var i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }

            var start = i;
            while (i < 8 && groups[i] == 0)
            {
                i++;
            }

            if (i - start > bestLength && i - start >= 2)
            {
                bestStart = start;
                bestLength = i - start;
            }
        }

        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                destination[written++] = (byte)':';
                destination[written++] = (byte)':';
                i += bestLength - 1;
                continue;
            }

            if (i > 0 && i != bestStart + bestLength)
            {
                destination[written++] = (byte)':';
            }

            written += WriteHex(groups[i], destination[written..]);
        }

        return written;
    }

    public static int WriteDecimal(ulong value, Span<byte> destination)
    {
        Span<byte> digits = stackalloc byte[20];
        var count = 0;
        do
        {
            digits[count++] = (byte)('0' + value % 10);
            value /= 10;
        }
        while (value != 0);

        for (var i = 0; i < count; i++)
        {
            destination[i] = digits[count - 1 - i];
        }

        return count;
    }

    private static int WriteHex(ushort value, Span<byte> destination)
    {
        var written = 0;
        var started = false;
        for (var shift = 12; shift >= 0; shift -= 4)
        {
            var nibble = (value >> shift) & 0xF;
            if (nibble == 0 && !started && shift > 0)
            {
                continue;
            }

            started = true;
            destination[written++] = (byte)"0123456789abcdef"[nibble];
        }

        return written;
    }
}
