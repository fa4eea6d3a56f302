namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// PTR record RDATA, RFC 1035 §3.3.12 (https://www.rfc-editor.org/rfc/rfc1035#section-3.3.12):
/// one domain name, a pointer to another name (reverse lookups). Compression may point anywhere earlier in the message.
/// </summary>
internal readonly ref struct PtrRdata
{
    public const ushort TypeCode = DnsType.PTR;

    private PtrRdata(DnsName name) => Name = name;

    public DnsName Name { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out PtrRdata rdata)
    {
        var result = DnsRdata.TryReadNameFillingSlice(message, offset, length, out var name);
        rdata = result.IsParsed ? new PtrRdata(name) : default;
        return result;
    }

    public int WriteText(Span<byte> destination) => Name.WriteText(destination);
}
