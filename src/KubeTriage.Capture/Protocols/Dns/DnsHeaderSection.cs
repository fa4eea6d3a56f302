using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// The fixed 12-byte message header, RFC 1035 §4.1.1 (https://www.rfc-editor.org/rfc/rfc1035#section-4.1.1).
/// <code>
///                                 1  1  1  1  1  1
///   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |                      ID                       |
/// |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
/// |                    QDCOUNT                    |
/// |                    ANCOUNT                    |
/// |                    NSCOUNT                    |
/// |                    ARCOUNT                    |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// </code>
/// </summary>
internal readonly record struct DnsHeaderSection(ushort Id, ushort Flags, ushort QuestionCount, ushort AnswerCount, ushort AuthorityCount, ushort AdditionalCount)
{
    public const int Size = 12;

    private const ushort FlagResponse = 0x8000;
    private const ushort FlagTruncated = 0x0200;

    public bool IsResponse => (Flags & FlagResponse) != 0;

    public int Opcode => (Flags >> 11) & 0xF;

    public bool Truncated => (Flags & FlagTruncated) != 0;

    public int Rcode => Flags & 0xF;

    public static ParseResult TryRead(ReadOnlySpan<byte> message, out DnsHeaderSection header)
    {
        var reader = new PayloadReader(message);
        header = new DnsHeaderSection(
            reader.ReadUInt16BigEndian(),
            reader.ReadUInt16BigEndian(),
            reader.ReadUInt16BigEndian(),
            reader.ReadUInt16BigEndian(),
            reader.ReadUInt16BigEndian(),
            reader.ReadUInt16BigEndian());
        if (reader.Overrun)
        {
            header = default;
            return ParseResult.NeedMore;
        }

        // Opcodes 3 and 7-15 are unassigned (RFC 6895 §2.2): a message with one is not DNS.
        if (header.Opcode is 3 or > 6)
        {
            return ParseResult.Malformed(WireError.DnsBadHeader, 2, "unassigned opcode");
        }

        return ParseResult.Parsed(Size);
    }
}
