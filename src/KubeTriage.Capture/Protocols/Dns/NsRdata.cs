namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// NS record RDATA, RFC 1035 §3.3.11 (https://www.rfc-editor.org/rfc/rfc1035#section-3.3.11):
/// one domain name, an authoritative name server. Compression may point anywhere earlier in the message.
/// </summary>
internal readonly ref struct NsRdata
{
    public const ushort TypeCode = DnsType.NS;

    private NsRdata(DnsName name) => Name = name;

    public DnsName Name { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out NsRdata rdata)
    {
        var result = DnsRdata.TryReadNameFillingSlice(message, offset, length, out var name);
        rdata = result.IsParsed ? new NsRdata(name) : default;
        return result;
    }

    public int WriteText(Span<byte> destination) => Name.WriteText(destination);
}
