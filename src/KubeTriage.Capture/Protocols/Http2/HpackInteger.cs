using System.Diagnostics;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http2;

/// <summary>
/// An HPACK integer, RFC 7541 §5.1 (https://www.rfc-editor.org/rfc/rfc7541#section-5.1): the low
/// <c>N</c> bits of the first byte (the prefix) hold the value when it is below 2^N - 1; otherwise they are
/// all ones and the rest, value - (2^N - 1), follows in 7-bit groups, least significant first, each byte's
/// top bit saying another follows. Values are held to <see cref="int.MaxValue"/> and to five continuation
/// bytes (35 bits, more than enough for 2^31 - 1), so that a run of 0x80 bytes cannot go on for ever.
/// </summary>
internal static class HpackInteger
{
    public const int MaxContinuationBytes = 5;

    /// <param name="data">Starts at the byte holding the prefix; the bits above the prefix are ignored.</param>
    /// <param name="prefixBits">N, 1 to 8.</param>
    /// <returns>Parsed with the bytes used; need more when the bytes stop inside the integer; malformed
    /// (offset within <paramref name="data"/>) for a value above 2^31 - 1 or too many continuation bytes.</returns>
    public static ParseResult TryRead(ReadOnlySpan<byte> data, int prefixBits, out int value)
    {
        Debug.Assert(prefixBits is >= 1 and <= 8, "an HPACK prefix is 1 to 8 bits");
        value = 0;
        if (data.IsEmpty)
        {
            return ParseResult.NeedMore;
        }

        var mask = (1 << prefixBits) - 1;
        var prefix = data[0] & mask;
        if (prefix < mask)
        {
            value = prefix;
            return ParseResult.Parsed(1);
        }

        long result = mask;
        for (var i = 1; i <= MaxContinuationBytes; i++)
        {
            if (i >= data.Length)
            {
                return ParseResult.NeedMore;
            }

            var next = data[i];
            result += (long)(next & 0x7F) << (7 * (i - 1));
            if (result > int.MaxValue)
            {
                return ParseResult.Malformed(WireError.Http2BadHeaderBlock, i, "integer above 2^31 - 1");
            }

            if ((next & 0x80) == 0)
            {
                value = (int)result;
                return ParseResult.Parsed(i + 1);
            }
        }

        return ParseResult.Malformed(WireError.Http2BadHeaderBlock, MaxContinuationBytes, "integer longer than 5 continuation bytes");
    }
}
