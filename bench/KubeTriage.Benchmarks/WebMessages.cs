using System.Buffers.Binary;
using System.Text;

namespace KubeTriage.Benchmarks;

/// <summary>
/// HTTP/1.1 (RFC 9112) and TLS ClientHello (RFC 8446 section 4.1.2, server_name from RFC 6066 section 3)
/// messages for the dissector benchmarks.
/// </summary>
public static class WebMessages
{
    public static byte[] HttpRequest(int number) => Encoding.ASCII.GetBytes(
        $"GET /api/v1/orders/{number} HTTP/1.1\r\nHost: orders.shop.svc.cluster.local\r\nUser-Agent: shop/1.4\r\n" +
        "Accept: application/json\r\n\r\n");

    public static byte[] HttpResponse(int bodyBytes)
    {
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bodyBytes}\r\n" +
            "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n");
        var message = new byte[head.Length + bodyBytes];
        head.CopyTo(message, 0);
        message.AsSpan(head.Length).Fill((byte)'x');
        return message;
    }

    /// <summary>A ClientHello in one record: a TLS 1.3 offer with SNI, supported_versions and one key share.</summary>
    public static byte[] ClientHello(string serverName)
    {
        var name = Encoding.ASCII.GetBytes(serverName);
        var extensions = new List<byte>();
        // server_name: a list of one host_name entry.
        AddExtension(extensions, 0x0000, [.. U16(name.Length + 3), 0, .. U16(name.Length), .. name]);
        // supported_versions: TLS 1.3, TLS 1.2.
        AddExtension(extensions, 0x002B, [4, 0x03, 0x04, 0x03, 0x03]);
        // supported_groups: x25519.
        AddExtension(extensions, 0x000A, [0x00, 0x02, 0x00, 0x1D]);
        // key_share: x25519 with a 32-byte key.
        AddExtension(extensions, 0x0033, [.. U16(36), 0x00, 0x1D, .. U16(32), .. new byte[32]]);

        var hello = new List<byte> { 0x03, 0x03 };
        hello.AddRange(new byte[32]);
        hello.Add(32);
        hello.AddRange(Enumerable.Repeat((byte)0x5A, 32));
        hello.AddRange([0x00, 0x06, 0x13, 0x01, 0x13, 0x02, 0x13, 0x03]);
        hello.AddRange([0x01, 0x00]);
        hello.AddRange(U16(extensions.Count));
        hello.AddRange(extensions);

        var handshake = new List<byte> { 0x01, (byte)(hello.Count >> 16), (byte)(hello.Count >> 8), (byte)hello.Count };
        handshake.AddRange(hello);
        return [0x16, 0x03, 0x01, .. U16(handshake.Count), .. handshake];
    }

    /// <summary>
    /// A TLS 1.3 server's first flight: the ServerHello (supported_versions: TLS 1.3, an x25519 key share), the
    /// compatibility ChangeCipherSpec, and 2.5 kB of encrypted handshake (certificate and the rest) in one record.
    /// </summary>
    public static byte[] ServerFlight13()
    {
        var extensions = new List<byte>();
        AddExtension(extensions, 0x002B, [0x03, 0x04]);
        AddExtension(extensions, 0x0033, [0x00, 0x1D, .. U16(32), .. new byte[32]]);
        var hello = new List<byte> { 0x03, 0x03 };
        hello.AddRange(Enumerable.Repeat((byte)0x11, 32));
        hello.Add(32);
        hello.AddRange(Enumerable.Repeat((byte)0x5A, 32));
        hello.AddRange([0x13, 0x01, 0x00]);
        hello.AddRange(U16(extensions.Count));
        hello.AddRange(extensions);
        byte[] handshake = [0x02, 0, .. U16(hello.Count), .. hello];
        return [.. Record(0x16, handshake), .. Record(0x14, [1]), .. Record(0x17, new byte[2500])];
    }

    /// <summary>A TLS 1.3 client's second flight: the compatibility ChangeCipherSpec and its Finished (53 bytes encrypted).</summary>
    public static byte[] ClientFinished13() => [.. Record(0x14, [1]), .. Record(0x17, new byte[53])];

    /// <summary>A TLS 1.3 server's session ticket after the client's Finished, encrypted.</summary>
    public static byte[] SessionTicket13() => Record(0x17, new byte[250]);

    private static byte[] Record(byte type, byte[] body) => [type, 0x03, 0x03, .. U16(body.Length), .. body];

    private static void AddExtension(List<byte> extensions, ushort type, byte[] body)
    {
        extensions.AddRange(U16(type));
        extensions.AddRange(U16(body.Length));
        extensions.AddRange(body);
    }

    private static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }
}
