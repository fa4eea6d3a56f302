using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// The one switch on the RR TYPE code: checks RDATA inside its exact RDLENGTH slice and writes its
/// presentation text. Unknown types are kept raw (Zeek <c>DNS_RR_unknown_type</c>: skip RDLENGTH, go on).
/// Offsets are absolute in the message so that names inside RDATA can follow compression pointers.
/// </summary>
internal static class DnsRdata
{
    /// <summary>Bytes the longest presentation text can take (SOA: two escaped names and five numbers).</summary>
    public const int MaxTextBytes = 2 * DnsName.MaxTextBytes + 64;

    public static ParseResult TryValidate(ushort type, ReadOnlySpan<byte> message, int offset, int length) => type switch
    {
        DnsType.A => ARdata.TryRead(message, offset, length, out _),
        DnsType.AAAA => AaaaRdata.TryRead(message, offset, length, out _),
        DnsType.CNAME => CnameRdata.TryRead(message, offset, length, out _),
        DnsType.NS => NsRdata.TryRead(message, offset, length, out _),
        DnsType.PTR => PtrRdata.TryRead(message, offset, length, out _),
        DnsType.MX => MxRdata.TryRead(message, offset, length, out _),
        DnsType.TXT => TxtRdata.TryRead(message, offset, length, out _),
        DnsType.SOA => SoaRdata.TryRead(message, offset, length, out _),
        DnsType.SRV => SrvRdata.TryRead(message, offset, length, out _),
        DnsType.OPT => OptRdata.TryRead(message, offset, length, out _),
        _ => UnknownRdata.TryRead(message, offset, length, out _),
    };

    /// <summary>Writes the presentation text of an RDATA already validated by <see cref="TryValidate"/>.</summary>
    public static int WriteText(ushort type, ReadOnlySpan<byte> message, int offset, int length, Span<byte> destination)
    {
        switch (type)
        {
            case DnsType.A when ARdata.TryRead(message, offset, length, out var a).IsParsed:
                return a.WriteText(destination);
            case DnsType.AAAA when AaaaRdata.TryRead(message, offset, length, out var aaaa).IsParsed:
                return aaaa.WriteText(destination);
            case DnsType.CNAME when CnameRdata.TryRead(message, offset, length, out var cname).IsParsed:
                return cname.WriteText(destination);
            case DnsType.NS when NsRdata.TryRead(message, offset, length, out var ns).IsParsed:
                return ns.WriteText(destination);
            case DnsType.PTR when PtrRdata.TryRead(message, offset, length, out var ptr).IsParsed:
                return ptr.WriteText(destination);
            case DnsType.MX when MxRdata.TryRead(message, offset, length, out var mx).IsParsed:
                return mx.WriteText(destination);
            case DnsType.TXT when TxtRdata.TryRead(message, offset, length, out var txt).IsParsed:
                return txt.WriteText(destination);
            case DnsType.SOA when SoaRdata.TryRead(message, offset, length, out var soa).IsParsed:
                return soa.WriteText(destination);
            case DnsType.SRV when SrvRdata.TryRead(message, offset, length, out var srv).IsParsed:
                return srv.WriteText(destination);
            default:
                return UnknownRdata.TryRead(message, offset, length, out var unknown).IsParsed ? unknown.WriteText(destination) : 0;
        }
    }

    /// <summary>The message up to the end of the RDATA slice (or its end, when the message is a prefix).</summary>
    public static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> message, int offset, int length) =>
        message[..Math.Min(message.Length, offset + length)];

    /// <summary>A fixed field did not fit: need-more when the message is cut short, else the slice is too small.</summary>
    public static ParseResult ShortSlice(ReadOnlySpan<byte> message, int offset, int length, string reason) =>
        offset + length > message.Length
            ? ParseResult.NeedMore
            : ParseResult.Malformed(WireError.DnsRecordLengthMismatch, offset, reason);

    public static ParseResult Leftover(int offset, string message) =>
        ParseResult.Malformed(WireError.DnsRecordLengthMismatch, offset, message);

    /// <summary>One domain name that must fill the RDATA slice exactly.</summary>
    public static ParseResult TryReadNameFillingSlice(ReadOnlySpan<byte> message, int offset, int length, out DnsName name)
    {
        var result = DnsName.TryRead(message, offset, offset + length, out name);
        if (result.IsParsed && result.Consumed != length)
        {
            name = default;
            return Leftover(offset, "RDATA has bytes after its name");
        }

        return result.IsParsed ? ParseResult.Parsed(length) : result;
    }

    /// <summary>A byte of a character-string: quotes and backslashes escaped, non-printables as <c>\DDD</c>.</summary>
    public static int WriteEscaped(byte b, Span<byte> destination, byte quote)
    {
        if (b == quote || b == (byte)'\\')
        {
            destination[0] = (byte)'\\';
            destination[1] = b;
            return 2;
        }

        if (b is >= 0x20 and < 0x7F)
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
