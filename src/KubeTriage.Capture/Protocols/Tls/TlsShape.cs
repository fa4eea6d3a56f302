namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>
/// Recognises the start of a TLS connection: a handshake record (0x16) of SSL 3.0 to TLS 1.3
/// (0x03 0x00-0x04) whose first message, when its type byte is there, is a ClientHello.
/// </summary>
internal static class TlsShape
{
    public static bool LooksLikeClientHello(ReadOnlySpan<byte> data) =>
        data.Length >= 3
        && data[0] == TlsRecordHeader.Handshake
        && data[1] == 3
        && data[2] <= 4
        && (data.Length <= TlsRecordHeader.Size || data[TlsRecordHeader.Size] == ClientHelloMessage.HandshakeType);
}
