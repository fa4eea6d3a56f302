namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// SOA record RDATA, RFC 1035 §3.3.13 (https://www.rfc-editor.org/rfc/rfc1035#section-3.3.13); it is
/// what a negative answer (NXDOMAIN, NODATA) carries in its authority section (RFC 2308).
/// <code>
///   MNAME (name) | RNAME (name) | SERIAL | REFRESH | RETRY | EXPIRE | MINIMUM   (five 32-bit fields)
/// </code>
/// </summary>
internal readonly ref struct SoaRdata
{
    public const ushort TypeCode = DnsType.SOA;
    private const int FixedSize = 20;

    private SoaRdata(DnsName primary, DnsName mailbox, uint serial, uint refresh, uint retry, uint expire, uint minimum)
    {
        Primary = primary;
        Mailbox = mailbox;
        Serial = serial;
        Refresh = refresh;
        Retry = retry;
        Expire = expire;
        Minimum = minimum;
    }

    public DnsName Primary { get; }

    public DnsName Mailbox { get; }

    public uint Serial { get; }

    public uint Refresh { get; }

    public uint Retry { get; }

    public uint Expire { get; }

    /// <summary>The negative-caching TTL (RFC 2308 §4).</summary>
    public uint Minimum { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out SoaRdata rdata)
    {
        rdata = default;
        var end = offset + length;
        var first = DnsName.TryRead(message, offset, end, out var primary);
        if (!first.IsParsed)
        {
            return first;
        }

        var second = DnsName.TryRead(message, offset + first.Consumed, end, out var mailbox);
        if (!second.IsParsed)
        {
            return second;
        }

        var fixedAt = offset + first.Consumed + second.Consumed;
        if (end - fixedAt != FixedSize)
        {
            return end - fixedAt < FixedSize
                ? DnsRdata.ShortSlice(message, offset, length, "SOA RDATA shorter than its fixed fields")
                : DnsRdata.Leftover(offset, "SOA RDATA has bytes after MINIMUM");
        }

        var reader = new PayloadReader(DnsRdata.Slice(message, offset, length), fixedAt);
        rdata = new SoaRdata(
            primary,
            mailbox,
            reader.ReadUInt32BigEndian(),
            reader.ReadUInt32BigEndian(),
            reader.ReadUInt32BigEndian(),
            reader.ReadUInt32BigEndian(),
            reader.ReadUInt32BigEndian());
        if (reader.Overrun)
        {
            rdata = default;
            return ParseResult.NeedMore;
        }

        return ParseResult.Parsed(length);
    }

    public int WriteText(Span<byte> destination)
    {
        var written = Primary.WriteText(destination);
        destination[written++] = (byte)' ';
        written += Mailbox.WriteText(destination[written..]);
        foreach (var value in (ReadOnlySpan<uint>)[Serial, Refresh, Retry, Expire, Minimum])
        {
            destination[written++] = (byte)' ';
            written += AddressText.WriteDecimal(value, destination[written..]);
        }

        return written;
    }
}
