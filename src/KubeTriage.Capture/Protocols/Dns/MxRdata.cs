using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// MX record RDATA, RFC 1035 §3.3.9 (https://www.rfc-editor.org/rfc/rfc1035#section-3.3.9):
/// a 16-bit PREFERENCE and the EXCHANGE host name.
/// </summary>
internal readonly ref struct MxRdata
{
    public const ushort TypeCode = DnsType.MX;

    private MxRdata(ushort preference, DnsName exchange)
    {
        Preference = preference;
        Exchange = exchange;
    }

    public ushort Preference { get; }

    public DnsName Exchange { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out MxRdata rdata)
    {
        rdata = default;
        var slice = DnsRdata.Slice(message, offset, length);
        var reader = new PayloadReader(slice, offset);
        var preference = reader.ReadUInt16BigEndian();
        if (reader.Overrun)
        {
            return DnsRdata.ShortSlice(message, offset, length, "MX RDATA shorter than its preference");
        }

        var result = DnsRdata.TryReadNameFillingSlice(message, reader.Offset, offset + length - reader.Offset, out var exchange);
        if (!result.IsParsed)
        {
            return result;
        }

        rdata = new MxRdata(preference, exchange);
        return ParseResult.Parsed(length);
    }

    public int WriteText(Span<byte> destination)
    {
        var written = AddressText.WriteDecimal(Preference, destination);
        destination[written++] = (byte)' ';
        return written + Exchange.WriteText(destination[written..]);
    }
}
