using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>
/// The ClientHello handshake message, RFC 8446 §4.1.2 (https://www.rfc-editor.org/rfc/rfc8446#section-4.1.2),
/// with its handshake header (§4):
/// <code>
///   msg_type 1 (1) | length (3)
///   | legacy_version (2) | random (32) | legacy_session_id&lt;0..32&gt; | cipher_suites&lt;2..2^16-2&gt;
///   | legacy_compression_methods&lt;1..2^8-1&gt; | [ extensions&lt;8..2^16-1&gt; ]   (absent in SSL 3.0-era hellos)
/// Extension = extension_type (2) | extension_data&lt;0..2^16-1&gt;
/// </code>
/// Read from the handshake bytes (which may have come in several records); the body is checked inside
/// exactly its declared length.
/// </summary>
internal readonly ref struct ClientHelloMessage
{
    public const byte HandshakeType = 1;
    private const int HandshakeHeaderSize = 4;
    private const int RandomSize = 32;
    private const int MaxSessionId = 32;

    private ClientHelloMessage(ushort legacyVersion, int cipherSuiteCount, int extensionCount, ReadOnlySpan<byte> serverName)
    {
        LegacyVersion = legacyVersion;
        CipherSuiteCount = cipherSuiteCount;
        ExtensionCount = extensionCount;
        ServerName = serverName;
    }

    public ushort LegacyVersion { get; }

    public int CipherSuiteCount { get; }

    public int ExtensionCount { get; }

    /// <summary>The SNI host name; empty when the hello had none.</summary>
    public ReadOnlySpan<byte> ServerName { get; }

    /// <summary>Bytes the whole message takes once its header is there (for reassembly), or -1.</summary>
    public static int DeclaredLength(ReadOnlySpan<byte> handshake) =>
        handshake.Length < HandshakeHeaderSize ? -1 : HandshakeHeaderSize + (handshake[1] << 16 | handshake[2] << 8 | handshake[3]);

    public static ParseResult TryRead(ReadOnlySpan<byte> handshake, out ClientHelloMessage hello)
    {
        hello = default;
        if (handshake.Length >= 1 && handshake[0] != HandshakeType)
        {
            return ParseResult.Malformed(WireError.TlsBadClientHello, 0, "first handshake message is not a ClientHello");
        }

        var total = DeclaredLength(handshake);
        if (total < 0 || handshake.Length < total)
        {
            return ParseResult.NeedMore;
        }

        var reader = new PayloadReader(handshake[..total], HandshakeHeaderSize);
        var version = reader.ReadUInt16BigEndian();
        reader.Skip(RandomSize);
        var sessionIdLength = reader.ReadByte();
        reader.Skip(sessionIdLength);
        var suitesLength = reader.ReadUInt16BigEndian();
        reader.Skip(suitesLength);
        var compressionLength = reader.ReadByte();
        reader.Skip(compressionLength);
        if (reader.Overrun)
        {
            return ParseResult.Malformed(WireError.TlsBadClientHello, HandshakeHeaderSize, "ClientHello shorter than its fixed fields");
        }

        if (sessionIdLength > MaxSessionId || suitesLength < 2 || suitesLength % 2 != 0 || compressionLength < 1)
        {
            return ParseResult.Malformed(WireError.TlsBadClientHello, HandshakeHeaderSize + 2 + RandomSize, "session id, cipher suites or compression methods out of range");
        }

        ReadOnlySpan<byte> serverName = default;
        var extensions = 0;
        if (reader.Remaining > 0)
        {
            var extensionsLength = reader.ReadUInt16BigEndian();
            if (reader.Overrun || extensionsLength != reader.Remaining)
            {
                return ParseResult.Malformed(WireError.TlsBadClientHello, reader.Offset, "extensions length does not fill the ClientHello");
            }

            while (reader.Remaining > 0)
            {
                var at = reader.Offset;
                var type = reader.ReadUInt16BigEndian();
                var data = reader.ReadBytes(reader.ReadUInt16BigEndian());
                if (reader.Overrun)
                {
                    return ParseResult.Malformed(WireError.TlsBadClientHello, at, "extension runs past the extensions block");
                }

                extensions++;
                if (type == ServerNameExtension.TypeCode)
                {
                    var sni = ServerNameExtension.TryRead(data, out var extension);
                    if (!sni.IsParsed)
                    {
                        return sni with { Offset = at + 4 + sni.Offset };
                    }

                    serverName = extension.HostName;
                }
            }
        }

        hello = new ClientHelloMessage(version, suitesLength / 2, extensions, serverName);
        return ParseResult.Parsed(total);
    }
}
