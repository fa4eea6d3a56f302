namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// CNAME record RDATA, RFC 1035 §3.3.1 (https://www.rfc-editor.org/rfc/rfc1035#section-3.3.1):
/// one domain name, the canonical name (an alias target). Compression may point anywhere earlier in the message.
/// </summary>
internal readonly ref struct CnameRdata
{
    public const ushort TypeCode = DnsType.CNAME;

    private CnameRdata(DnsName name) => Name = name;

    public DnsName Name { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out CnameRdata rdata)
    {
        var result = DnsRdata.TryReadNameFillingSlice(message, offset, length, out var name);
        rdata = result.IsParsed ? new CnameRdata(name) : default;
        return result;
    }

    public int WriteText(Span<byte> destination) => Name.WriteText(destination);
}
