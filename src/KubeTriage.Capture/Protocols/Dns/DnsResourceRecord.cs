using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// One resource record, RFC 1035 §4.1.3 (https://www.rfc-editor.org/rfc/rfc1035#section-4.1.3).
/// <code>
///   NAME (variable) | TYPE (16) | CLASS (16) | TTL (32) | RDLENGTH (16) | RDATA (RDLENGTH bytes)
/// </code>
/// RDATA is checked by <see cref="DnsRdata"/> inside a slice of exactly RDLENGTH bytes; leftover or
/// missing bytes inside that slice are <see cref="WireError.DnsRecordLengthMismatch"/>.
/// </summary>
internal readonly ref struct DnsResourceRecord
{
    private DnsResourceRecord(DnsName name, ushort type, ushort @class, uint ttl, int rdataOffset, int rdataLength)
    {
        Name = name;
        Type = type;
        Class = @class;
        Ttl = ttl;
        RdataOffset = rdataOffset;
        RdataLength = rdataLength;
    }

    public DnsName Name { get; }

    public ushort Type { get; }

    /// <summary>CLASS; for OPT it is the requester's UDP payload size (RFC 6891 §6.1.2).</summary>
    public ushort Class { get; }

    /// <summary>TTL; for OPT it carries the extended RCODE and flags (RFC 6891 §6.1.3).</summary>
    public uint Ttl { get; }

    public int RdataOffset { get; }

    public int RdataLength { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, out DnsResourceRecord record)
    {
        record = default;
        var nameResult = DnsName.TryRead(message, offset, DnsName.NoLimit, out var name);
        if (!nameResult.IsParsed)
        {
            return nameResult;
        }

        var reader = new PayloadReader(message, offset + nameResult.Consumed);
        var type = reader.ReadUInt16BigEndian();
        var @class = reader.ReadUInt16BigEndian();
        var ttl = reader.ReadUInt32BigEndian();
        var rdataLength = reader.ReadUInt16BigEndian();
        if (reader.Overrun || !reader.CanRead(rdataLength))
        {
            // Zeek: DNS_truncated_RR_rdlength_lt_len; on a complete datagram the caller reports DnsTruncated.
            return ParseResult.NeedMore;
        }

        var rdataOffset = reader.Offset;
        var rdata = DnsRdata.TryValidate(type, message, rdataOffset, rdataLength);
        if (rdata.IsMalformed)
        {
            return rdata;
        }

        record = new DnsResourceRecord(name, type, @class, ttl, rdataOffset, rdataLength);
        return ParseResult.Parsed(rdataOffset + rdataLength - offset);
    }
}
