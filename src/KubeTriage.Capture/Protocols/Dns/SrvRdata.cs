namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// SRV record RDATA, RFC 2782 (https://www.rfc-editor.org/rfc/rfc2782): Kubernetes publishes named
/// service ports this way (<c>_http._tcp.svc.ns.svc.cluster.local</c>).
/// <code>
///   PRIORITY (16) | WEIGHT (16) | PORT (16) | TARGET (domain name, not compressed by the RFC but tolerated)
/// </code>
/// </summary>
internal readonly ref struct SrvRdata
{
    public const ushort TypeCode = DnsType.SRV;

    private SrvRdata(ushort priority, ushort weight, ushort port, DnsName target)
    {
        Priority = priority;
        Weight = weight;
        Port = port;
        Target = target;
    }

    public ushort Priority { get; }

    public ushort Weight { get; }

    public ushort Port { get; }

    public DnsName Target { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out SrvRdata rdata)
    {
        rdata = default;
        var reader = new PayloadReader(DnsRdata.Slice(message, offset, length), offset);
        var priority = reader.ReadUInt16BigEndian();
        var weight = reader.ReadUInt16BigEndian();
        var port = reader.ReadUInt16BigEndian();
        if (reader.Overrun)
        {
            return DnsRdata.ShortSlice(message, offset, length, "SRV RDATA shorter than its fixed fields");
        }

        var result = DnsRdata.TryReadNameFillingSlice(message, reader.Offset, offset + length - reader.Offset, out var target);
        if (!result.IsParsed)
        {
            return result;
        }

        rdata = new SrvRdata(priority, weight, port, target);
        return ParseResult.Parsed(length);
    }

    public int WriteText(Span<byte> destination)
    {
        var written = AddressText.WriteDecimal(Priority, destination);
        destination[written++] = (byte)' ';
        written += AddressText.WriteDecimal(Weight, destination[written..]);
        destination[written++] = (byte)' ';
        written += AddressText.WriteDecimal(Port, destination[written..]);
        destination[written++] = (byte)' ';
        return written + Target.WriteText(destination[written..]);
    }
}
