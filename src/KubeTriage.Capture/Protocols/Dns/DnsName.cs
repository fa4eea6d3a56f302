using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// A domain name on the wire, RFC 1035 §3.1 and §4.1.4 (https://www.rfc-editor.org/rfc/rfc1035#section-4.1.4):
/// length-prefixed labels ending in a zero byte, or in a two-byte compression pointer to an earlier name.
/// <code>
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///   | 1  1|                OFFSET                   |   pointer
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// </code>
/// Hostile-input rules: each pointer must point strictly before the start of the run of labels that
/// led to it (so a name can never revisit bytes, and every name terminates); the expanded name is at
/// most 255 octets and follows at most <see cref="MaxPointers"/> pointers; label types 01 and 10 (RFC 6891 §5) are rejected. The value keeps the message and
/// the offset, and is decoded to text only when a transaction is emitted.
/// </summary>
internal readonly ref struct DnsName
{
    public const int MaxOctets = 255;

    /// <summary>The limit for a name outside RDATA: running out of bytes is need-more.</summary>
    public const int NoLimit = int.MaxValue;

    /// <summary>Longest presentation text: every octet escaped as <c>\DDD</c>.</summary>
    public const int MaxTextBytes = MaxOctets * 4;

    /// <summary>Pointers followed per name; real encoders need a handful (a pointer to a pointer is legal).</summary>
    public const int MaxPointers = 64;

    private const byte PointerMask = 0xC0;

    private DnsName(ReadOnlySpan<byte> message, int offset, int octets)
    {
        Message = message;
        Offset = offset;
        Octets = octets;
    }

    public ReadOnlySpan<byte> Message { get; }

    public int Offset { get; }

    /// <summary>Length of the expanded name in wire octets (labels, their length bytes and the root).</summary>
    public int Octets { get; }

    /// <summary>
    /// Reads the name at <paramref name="offset"/>. Labels before the first pointer must end before
    /// <paramref name="limit"/>, the end of the RDATA slice holding the name (<see cref="NoLimit"/>
    /// elsewhere): running into the message end first is need-more, past the limit a length mismatch.
    /// <see cref="ParseResult.Consumed"/> counts the bytes at <paramref name="offset"/> only.
    /// </summary>
    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int limit, out DnsName name)
    {
        name = default;
        var position = offset;
        var runStart = offset;
        var consumed = -1;
        var octets = 0;
        var pointers = 0;
        var bound = Math.Min(limit, message.Length);
        while (true)
        {
            if (position >= bound)
            {
                return RanOut(consumed, limit, message.Length, offset, runStart);
            }

            var length = message[position];
            if ((length & PointerMask) == PointerMask)
            {
                if (position + 1 >= bound)
                {
                    return RanOut(consumed, limit, message.Length, offset, runStart);
                }

                var target = ((length & 0x3F) << 8) | message[position + 1];
                if (consumed < 0)
                {
                    consumed = position + 2 - offset;
                }

                if (target >= runStart)
                {
                    return target <= position
                        ? ParseResult.Malformed(WireError.DnsCompressionLoop, position, "compression pointer into its own name")
                        : ParseResult.Malformed(WireError.DnsForwardPointer, position, "compression pointer does not point backwards");
                }

                if (++pointers > MaxPointers)
                {
                    return ParseResult.Malformed(WireError.DnsCompressionLoop, position, "too many compression pointers");
                }

                runStart = target;
                position = target;
                // Targets lie earlier in the message, outside any RDATA slice.
                bound = message.Length;
                continue;
            }

            if ((length & PointerMask) != 0)
            {
                return ParseResult.Malformed(WireError.DnsBadLabel, position, "extended or reserved label type");
            }

            octets += 1 + length;
            if (octets > MaxOctets)
            {
                return ParseResult.Malformed(WireError.DnsNameTooLong, position, "name longer than 255 octets");
            }

            if (length == 0)
            {
                if (consumed < 0)
                {
                    consumed = position + 1 - offset;
                }

                name = new DnsName(message, offset, octets);
                return ParseResult.Parsed(consumed);
            }

            position += 1 + length;
        }
    }

    private static ParseResult RanOut(int consumed, int limit, int messageLength, int offset, int runStart)
    {
        if (consumed >= 0)
        {
            // Behind a pointer every byte is earlier in the message and was already present; the run
            // that a pointer led to is where the name went wrong.
            return ParseResult.Malformed(WireError.DnsBadLabel, runStart, "name behind a pointer runs past the message end");
        }

        return limit > messageLength
            ? ParseResult.NeedMore
            : ParseResult.Malformed(WireError.DnsRecordLengthMismatch, offset, "name runs past RDLENGTH");
    }

    /// <summary>
    /// Writes the presentation form (<c>www.example.com</c>, <c>.</c> for the root; <c>.</c> and <c>\</c>
    /// inside labels and bytes outside printable ASCII escaped as in RFC 1035 §5.1) and returns its length.
    /// <paramref name="destination"/> must hold <see cref="MaxTextBytes"/> bytes.
    /// </summary>
    public int WriteText(Span<byte> destination)
    {
        var written = 0;
        var position = Offset;
        var message = Message;
        while (true)
        {
            var length = message[position];
            if ((length & PointerMask) == PointerMask)
            {
                position = ((length & 0x3F) << 8) | message[position + 1];
                continue;
            }

            if (length == 0)
            {
                break;
            }

            if (written > 0)
            {
                destination[written++] = (byte)'.';
            }

            foreach (var b in message.Slice(position + 1, length))
            {
                written += WriteEscaped(b, destination[written..]);
            }

            position += 1 + length;
        }

        if (written == 0)
        {
            destination[written++] = (byte)'.';
        }

        return written;
    }

    private static int WriteEscaped(byte b, Span<byte> destination)
    {
        if (b is (byte)'.' or (byte)'\\')
        {
            destination[0] = (byte)'\\';
            destination[1] = b;
            return 2;
        }

        if (b is > 0x20 and < 0x7F)
        {
            destination[0] = b;
            return 1;
        }

        destination[0] = (byte)'\\';
        destination[1] = (byte)('0' + b / 100);
        destination[2] = (byte)('0' + b / 10 % 10);
        destination[3] = (byte)('0' + b % 10);
        return 4;
    }
}
