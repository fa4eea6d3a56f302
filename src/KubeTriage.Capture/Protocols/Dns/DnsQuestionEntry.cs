namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// One question, RFC 1035 §4.1.2 (https://www.rfc-editor.org/rfc/rfc1035#section-4.1.2): QNAME, QTYPE, QCLASS.
/// </summary>
internal readonly ref struct DnsQuestionEntry
{
    private DnsQuestionEntry(DnsName name, ushort type, ushort @class)
    {
        Name = name;
        Type = type;
        Class = @class;
    }

    public DnsName Name { get; }

    public ushort Type { get; }

    public ushort Class { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, out DnsQuestionEntry question)
    {
        question = default;
        var nameResult = DnsName.TryRead(message, offset, DnsName.NoLimit, out var name);
        if (!nameResult.IsParsed)
        {
            return nameResult;
        }

        var reader = new PayloadReader(message, offset + nameResult.Consumed);
        var type = reader.ReadUInt16BigEndian();
        var @class = reader.ReadUInt16BigEndian();
        if (reader.Overrun)
        {
            return ParseResult.NeedMore;
        }

        question = new DnsQuestionEntry(name, type, @class);
        return ParseResult.Parsed(reader.Offset - offset);
    }
}
