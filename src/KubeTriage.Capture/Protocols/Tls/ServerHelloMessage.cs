using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>
/// The ServerHello handshake message, RFC 8446 §4.1.3 (https://www.rfc-editor.org/rfc/rfc8446#section-4.1.3),
/// with its handshake header (§4):
/// <code>
///   msg_type 2 (1) | length (3)
///   | legacy_version (2) | random (32) | legacy_session_id_echo&lt;0..32&gt; | cipher_suite (2)
///   | legacy_compression_method (1) | [ extensions&lt;6..2^16-1&gt; ]
/// </code>
/// The version the server chose is the supported_versions extension's (43, §4.2.1) when it has one (TLS 1.3),
/// else legacy_version. A HelloRetryRequest is a ServerHello whose random is the fixed value of §4.1.3.
/// </summary>
internal readonly ref struct ServerHelloMessage
{
    public const byte HandshakeType = 2;
    private const int HandshakeHeaderSize = 4;
    private const int RandomSize = 32;
    private const ushort SupportedVersionsExtension = 43;

    /// <summary>SHA-256("HelloRetryRequest"), the random of a HelloRetryRequest.</summary>
    private static ReadOnlySpan<byte> RetryRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    private ServerHelloMessage(ushort version, ushort cipherSuite, bool retry)
    {
        Version = version;
        CipherSuite = cipherSuite;
        IsHelloRetryRequest = retry;
    }

    /// <summary>The version the server chose: 0x0304 for TLS 1.3, 0x0303 for TLS 1.2, and so on.</summary>
    public ushort Version { get; }

    public ushort CipherSuite { get; }

    public bool IsHelloRetryRequest { get; }

    /// <summary>Reads the ServerHello at the start of <paramref name="handshake"/> (a handshake record's fragment).</summary>
    public static ParseResult TryRead(ReadOnlySpan<byte> handshake, out ServerHelloMessage hello)
    {
        hello = default;
        if (handshake.Length >= 1 && handshake[0] != HandshakeType)
        {
            return ParseResult.Malformed(WireError.TlsBadServerHello, 0, "first server handshake message is not a ServerHello");
        }

        if (handshake.Length < HandshakeHeaderSize)
        {
            return ParseResult.NeedMore;
        }

        int total = HandshakeHeaderSize + (handshake[1] << 16 | handshake[2] << 8 | handshake[3]);
        if (handshake.Length < total)
        {
            return ParseResult.NeedMore;
        }

        var reader = new PayloadReader(handshake[..total], HandshakeHeaderSize);
        var version = reader.ReadUInt16BigEndian();
        var random = reader.ReadBytes(RandomSize);
        reader.Skip(reader.ReadByte());
        var suite = reader.ReadUInt16BigEndian();
        reader.Skip(1);
        if (reader.Overrun)
        {
            return ParseResult.Malformed(WireError.TlsBadServerHello, HandshakeHeaderSize, "ServerHello shorter than its fixed fields");
        }

        if (reader.Remaining > 0)
        {
            var extensionsLength = reader.ReadUInt16BigEndian();
            if (reader.Overrun || extensionsLength != reader.Remaining)
            {
                return ParseResult.Malformed(WireError.TlsBadServerHello, reader.Offset, "extensions length does not fill the ServerHello");
            }

            while (reader.Remaining > 0)
            {
                var at = reader.Offset;
                var type = reader.ReadUInt16BigEndian();
                var data = reader.ReadBytes(reader.ReadUInt16BigEndian());
                if (reader.Overrun)
                {
                    return ParseResult.Malformed(WireError.TlsBadServerHello, at, "extension runs past the extensions block");
                }

                if (type == SupportedVersionsExtension && data.Length == 2)
                {
                    version = (ushort)(data[0] << 8 | data[1]);
                }
            }
        }

        hello = new ServerHelloMessage(version, suite, random.SequenceEqual(RetryRandom));
        return ParseResult.Parsed(total);
    }
}
