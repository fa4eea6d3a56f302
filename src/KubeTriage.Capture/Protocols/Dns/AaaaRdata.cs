using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>AAAA record RDATA, RFC 3596 §2.2 (https://www.rfc-editor.org/rfc/rfc3596#section-2.2): a 128-bit IPv6 address.</summary>
internal readonly ref struct AaaaRdata
{
    public const ushort TypeCode = DnsType.AAAA;
    private const int Size = 16;

    private AaaaRdata(ReadOnlySpan<byte> address) => Address = address;

    public ReadOnlySpan<byte> Address { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out AaaaRdata rdata)
    {
        rdata = default;
        if (length != Size)
        {
            return ParseResult.Malformed(WireError.DnsRecordLengthMismatch, offset, "AAAA RDATA is not 16 bytes");
        }

        if (offset + length > message.Length)
        {
            return ParseResult.NeedMore;
        }

        rdata = new AaaaRdata(message.Slice(offset, Size));
        return ParseResult.Parsed(Size);
    }

    public int WriteText(Span<byte> destination) => AddressText.WriteIPv6(Address, destination);
}
