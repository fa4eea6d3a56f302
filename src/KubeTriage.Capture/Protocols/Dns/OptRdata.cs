namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// OPT pseudo-record RDATA, RFC 6891 §6.1.2 (https://www.rfc-editor.org/rfc/rfc6891#section-6.1.2):
/// EDNS options, each OPTION-CODE (16), OPTION-LENGTH (16), OPTION-DATA, filling RDATA exactly.
/// The record's CLASS is the UDP payload size and its TTL holds EXTENDED-RCODE, VERSION and flags.
/// </summary>
internal readonly ref struct OptRdata
{
    public const ushort TypeCode = DnsType.OPT;

    private OptRdata(int optionCount) => OptionCount = optionCount;

    public int OptionCount { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out OptRdata rdata)
    {
        rdata = default;
        var end = offset + length;
        var reader = new PayloadReader(DnsRdata.Slice(message, offset, length), offset);
        var count = 0;
        while (reader.Offset < end)
        {
            if (end - reader.Offset < 4)
            {
                return DnsRdata.Leftover(offset, "OPT option header runs past RDLENGTH");
            }

            reader.Skip(2);
            var optionLength = reader.ReadUInt16BigEndian();
            if (reader.Overrun)
            {
                return ParseResult.NeedMore;
            }

            if (reader.Offset + optionLength > end)
            {
                return DnsRdata.Leftover(offset, "OPT option runs past RDLENGTH");
            }

            reader.Skip(optionLength);
            if (reader.Overrun)
            {
                return ParseResult.NeedMore;
            }

            count++;
        }

        rdata = new OptRdata(count);
        return ParseResult.Parsed(length);
    }

    /// <summary>Extended RCODE: the OPT TTL's top 8 bits above the header's 4 (RFC 6891 §6.1.3).</summary>
    public static int ExtendedRcode(uint ttl, int headerRcode) => (int)(ttl >> 24) << 4 | headerRcode;
}
