using System.Buffers.Binary;
using KubeTriage.Capture.Protocols.Http2;

namespace KubeTriage.Capture.Tests.Protocols.Http2;

/// <summary>
/// HTTP/2 frames for tests (RFC 9113 §4.1, §6): a nine-byte header (24-bit length, type, flags, reserved bit and
/// 31-bit stream id) and the payload, with padding and priority fields where asked. Header blocks come from
/// <see cref="HpackTestEncoder"/>; <see cref="Block"/> encodes fields as literals without indexing.
/// </summary>
internal static class Http2Bytes
{
    public const uint NoError = 0x0;
    public const uint ProtocolError = 0x1;
    public const uint RefusedStream = 0x7;
    public const uint Cancel = 0x8;

    /// <summary><c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c>, RFC 9113 §3.4.</summary>
    public static byte[] Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>Any frame, its header built from the arguments; <paramref name="length"/> overrides the payload's length.</summary>
    public static byte[] Frame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload, int? length = null, bool reservedBit = false)
    {
        var size = length ?? payload.Length;
        var frame = new byte[Http2FrameHeader.Size + payload.Length];
        frame[0] = (byte)(size >> 16);
        frame[1] = (byte)(size >> 8);
        frame[2] = (byte)size;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)streamId | (reservedBit ? 0x8000_0000u : 0));
        payload.CopyTo(frame.AsSpan(Http2FrameHeader.Size));
        return frame;
    }

    /// <summary>A SETTINGS frame on stream 0 with six bytes per setting (§6.5.1).</summary>
    public static byte[] Settings(params (ushort Id, uint Value)[] settings)
    {
        var payload = new byte[settings.Length * 6];
        for (var i = 0; i < settings.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(i * 6), settings[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(i * 6 + 2), settings[i].Value);
        }

        return Frame(Http2FrameHeader.Settings, 0, 0, payload);
    }

    public static byte[] SettingsAck() => Frame(Http2FrameHeader.Settings, Http2FrameHeader.AckFlag, 0, []);

    /// <summary>
    /// A HEADERS frame (§6.2): with <paramref name="padding"/> the PADDED flag, a pad length byte and that many zeros; with
    /// <paramref name="priority"/> the PRIORITY flag and five bytes of exclusive bit, stream dependency and weight.
    /// </summary>
    public static byte[] Headers(int streamId, byte[] block, bool endStream = false, bool endHeaders = true, int? padding = null, bool priority = false)
    {
        var payload = new List<byte>();
        var flags = Flags(endStream, endHeaders);
        if (padding is not null)
        {
            flags |= Http2FrameHeader.PaddedFlag;
            payload.Add((byte)padding.Value);
        }

        if (priority)
        {
            flags |= Http2FrameHeader.PriorityFlag;
            payload.AddRange([0x80, 0x00, 0x00, 0x03, 0xFF]);
        }

        payload.AddRange(block);
        payload.AddRange(new byte[padding ?? 0]);
        return Frame(Http2FrameHeader.Headers, flags, streamId, payload.ToArray());
    }

    /// <summary>A CONTINUATION frame (§6.10).</summary>
    public static byte[] Continuation(int streamId, byte[] fragment, bool endHeaders = true) =>
        Frame(Http2FrameHeader.Continuation, endHeaders ? Http2FrameHeader.EndHeadersFlag : (byte)0, streamId, fragment);

    /// <summary>A DATA frame (§6.1), padded when asked.</summary>
    public static byte[] Data(int streamId, byte[] payload, bool endStream = false, int? padding = null)
    {
        if (padding is null)
        {
            return Frame(Http2FrameHeader.Data, Flags(endStream, false), streamId, payload);
        }

        byte[] padded = [(byte)padding.Value, .. payload, .. new byte[padding.Value]];
        return Frame(Http2FrameHeader.Data, (byte)(Flags(endStream, false) | Http2FrameHeader.PaddedFlag), streamId, padded);
    }

    /// <summary>A RST_STREAM frame (§6.4) with its error code.</summary>
    public static byte[] RstStream(int streamId, uint code)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, code);
        return Frame(Http2FrameHeader.RstStream, 0, streamId, payload);
    }

    /// <summary>A GOAWAY frame (§6.8): last stream id, error code, optional debug data.</summary>
    public static byte[] GoAway(int lastStreamId, uint code, byte[]? debug = null)
    {
        var payload = new byte[8 + (debug?.Length ?? 0)];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), code);
        debug?.CopyTo(payload.AsSpan(8));
        return Frame(Http2FrameHeader.GoAway, 0, 0, payload);
    }

    /// <summary>A PUSH_PROMISE frame (§6.6) on <paramref name="streamId"/> promising <paramref name="promisedStreamId"/>.</summary>
    public static byte[] PushPromise(int streamId, int promisedStreamId, byte[] block, bool endHeaders = true, int? padding = null)
    {
        var payload = new List<byte>();
        var flags = Flags(false, endHeaders);
        if (padding is not null)
        {
            flags |= Http2FrameHeader.PaddedFlag;
            payload.Add((byte)padding.Value);
        }

        var promised = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(promised, (uint)promisedStreamId);
        payload.AddRange(promised);
        payload.AddRange(block);
        payload.AddRange(new byte[padding ?? 0]);
        return Frame(Http2FrameHeader.PushPromise, flags, streamId, payload.ToArray());
    }

    /// <summary>A PING frame (§6.7): eight opaque bytes on stream 0.</summary>
    public static byte[] Ping(ulong opaque = 0x0102030405060708, bool ack = false)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(payload, opaque);
        return Frame(Http2FrameHeader.Ping, ack ? Http2FrameHeader.AckFlag : (byte)0, 0, payload);
    }

    /// <summary>A WINDOW_UPDATE frame (§6.9).</summary>
    public static byte[] WindowUpdate(int streamId, int increment)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)increment);
        return Frame(Http2FrameHeader.WindowUpdate, 0, streamId, payload);
    }

    /// <summary>A PRIORITY frame (§6.3).</summary>
    public static byte[] Priority(int streamId, int dependsOn = 0, byte weight = 15)
    {
        var payload = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)dependsOn);
        payload[4] = weight;
        return Frame(Http2FrameHeader.Priority, 0, streamId, payload);
    }

    /// <summary>A header block of literals without indexing, no Huffman coding.</summary>
    public static byte[] Block(params (string Name, string Value)[] fields) => HpackTestEncoder.Literals(fields);

    /// <summary>The fields of a gRPC request (gRPC over HTTP/2, "Requests").</summary>
    public static (string Name, string Value)[] GrpcRequest(string path, string authority = "orders.shop:50051") =>
    [
        (":method", "POST"), (":scheme", "http"), (":authority", authority), (":path", path),
        ("content-type", "application/grpc"), ("te", "trailers"),
    ];

    public static (string Name, string Value)[] GrpcResponse => [(":status", "200"), ("content-type", "application/grpc")];

    /// <summary>A gRPC length-prefixed message (compressed flag, 4-byte length) of <paramref name="length"/> bytes.</summary>
    public static byte[] GrpcMessage(int length)
    {
        var message = new byte[5 + length];
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), (uint)length);
        for (var i = 0; i < length; i++)
        {
            message[5 + i] = (byte)('a' + i % 26);
        }

        return message;
    }

    private static byte Flags(bool endStream, bool endHeaders) =>
        (byte)((endStream ? Http2FrameHeader.EndStreamFlag : 0) | (endHeaders ? Http2FrameHeader.EndHeadersFlag : 0));
}
