using System.Text;

namespace KubeTriage.Benchmarks;

/// <summary>
/// HTTP/2 frames (RFC 9113) of gRPC unary calls on one connection, with header blocks as clients and servers encode
/// them (RFC 7541): the first call's fields are added to the dynamic table (literal with incremental indexing), later
/// calls refer to them with one-byte indexed fields.
/// </summary>
public static class Http2Messages
{
    public static byte[] ClientPreface() => [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. Frame(0x4, 0, 0, [])];

    public static byte[] ServerSettings() => Frame(0x4, 0, 0, []);

    /// <summary>Call <paramref name="number"/> (0-based): HEADERS and a DATA frame with END_STREAM, on stream 2n+1.</summary>
    public static byte[] Request(int number)
    {
        int stream = 2 * number + 1;
        byte[] block = number == 0
            ?
            [
                0x83, 0x86, // :method POST, :scheme http (static 3 and 6)
                .. Literal(4, "/shop.Orders/Get"), // :path, added to the table
                .. Literal(1, "orders.shop.svc.cluster.local:50051"), // :authority
                .. Literal(31, "application/grpc"), // content-type
                .. NewName("te", "trailers"),
            ]
            : [0x83, 0x86, 0xC1, 0xC0, 0xBF, 0xBE]; // the four dynamic entries: 65 :path … 62 te
        return [.. Frame(0x1, 0x4, stream, block), .. Frame(0x0, 0x1, stream, [0, 0, 0, 0, 5, 1, 2, 3, 4, 5])];
    }

    /// <summary>The answer to call <paramref name="number"/>: HEADERS :status 200, DATA, trailers grpc-status 0 with END_STREAM.</summary>
    public static byte[] Response(int number)
    {
        int stream = 2 * number + 1;
        byte[] headers = number == 0 ? [0x88, .. Literal(31, "application/grpc")] : [0x88, 0xBF]; // :status 200 (static 8), content-type
        byte[] trailers = number == 0 ? NewName("grpc-status", "0") : [0xBE];
        return
        [
            .. Frame(0x1, 0x4, stream, headers),
            .. Frame(0x0, 0, stream, [0, 0, 0, 0, 2, 8, 1]),
            .. Frame(0x1, 0x5, stream, trailers),
        ];
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload) =>
    [
        (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, flags,
        (byte)(stream >> 24), (byte)(stream >> 16), (byte)(stream >> 8), (byte)stream, .. payload,
    ];

    /// <summary>Literal with incremental indexing, the name from static entry <paramref name="nameIndex"/> (below 63), no Huffman.</summary>
    private static byte[] Literal(int nameIndex, string value) => [(byte)(0x40 | nameIndex), .. String(value)];

    private static byte[] NewName(string name, string value) => [0x40, .. String(name), .. String(value)];

    private static byte[] String(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        return [(byte)bytes.Length, .. bytes];
    }
}
