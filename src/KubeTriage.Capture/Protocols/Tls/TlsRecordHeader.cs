using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>
/// A TLS record, RFC 8446 §5.1 (https://www.rfc-editor.org/rfc/rfc8446#section-5.1) and RFC 5246 §6.2.1:
/// <code>
///   ContentType type (1) | ProtocolVersion legacy_record_version (2) | uint16 length | fragment[length]
/// </code>
/// A fragment holds at most 2^14 bytes of plaintext; 2^14 + 2048 allows for protection overhead.
/// </summary>
internal readonly ref struct TlsRecordHeader
{
    public const int Size = 5;
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;
    public const byte Heartbeat = 24;
    public const int MaxFragment = (1 << 14) + 2048;

    private TlsRecordHeader(byte contentType, ushort version, ReadOnlySpan<byte> fragment)
    {
        ContentType = contentType;
        Version = version;
        Fragment = fragment;
    }

    public byte ContentType { get; }

    public ushort Version { get; }

    public ReadOnlySpan<byte> Fragment { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> stream, out TlsRecordHeader record)
    {
        record = default;
        var reader = new PayloadReader(stream);
        var type = reader.ReadByte();
        var version = reader.ReadUInt16BigEndian();
        var length = reader.ReadUInt16BigEndian();
        if (reader.Overrun)
        {
            return IsPlausibleStart(stream) ? ParseResult.NeedMore : ParseResult.Malformed(WireError.TlsBadRecord, 0, "record type or version is not TLS");
        }

        if (type is < ChangeCipherSpec or > Heartbeat)
        {
            return ParseResult.Malformed(WireError.TlsBadRecord, 0, "record type is not 20 to 24");
        }

        if (version >> 8 != 3 || (version & 0xFF) > 4)
        {
            return ParseResult.Malformed(WireError.TlsUnsupportedVersion, 1, "record version is not SSL 3.0 to TLS 1.3");
        }

        if (length > MaxFragment)
        {
            return ParseResult.Malformed(WireError.TlsBadRecord, 3, "record longer than 2^14 + 2048 bytes");
        }

        var fragment = reader.ReadBytes(length);
        if (reader.Overrun)
        {
            return ParseResult.NeedMore;
        }

        record = new TlsRecordHeader(type, version, fragment);
        return ParseResult.Parsed(Size + length);
    }

    /// <summary>The bytes seen so far could begin a record header (checked before all five are there).</summary>
    private static bool IsPlausibleStart(ReadOnlySpan<byte> stream) =>
        (stream.Length < 1 || stream[0] is >= ChangeCipherSpec and <= Heartbeat)
        && (stream.Length < 2 || stream[1] == 3)
        && (stream.Length < 3 || stream[2] <= 4);
}
