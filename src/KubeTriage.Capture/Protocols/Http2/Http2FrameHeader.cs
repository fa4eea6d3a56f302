using System.Buffers.Binary;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http2;

/// <summary>
/// The nine bytes before every HTTP/2 frame, RFC 9113 §4.1 (https://www.rfc-editor.org/rfc/rfc9113#section-4.1):
/// <code>
///   Length (24) | Type (8) | Flags (8) | R (1) | Stream Identifier (31)
/// </code>
/// <see cref="TryRead"/> checks what the frame types of §6 fix regardless of settings: which need a stream and
/// which must not have one, and the lengths of SETTINGS, PING, WINDOW_UPDATE, RST_STREAM, PRIORITY and GOAWAY.
/// A type it does not know is an extension (§5.5) and passes.
/// </summary>
internal readonly record struct Http2FrameHeader(int Length, byte Type, byte Flags, int StreamId)
{
    public const int Size = 9;

    public const byte Data = 0x0;
    public const byte Headers = 0x1;
    public const byte Priority = 0x2;
    public const byte RstStream = 0x3;
    public const byte Settings = 0x4;
    public const byte PushPromise = 0x5;
    public const byte Ping = 0x6;
    public const byte GoAway = 0x7;
    public const byte WindowUpdate = 0x8;
    public const byte Continuation = 0x9;

    public const byte EndStreamFlag = 0x1;
    public const byte AckFlag = 0x1;
    public const byte EndHeadersFlag = 0x4;
    public const byte PaddedFlag = 0x8;
    public const byte PriorityFlag = 0x20;

    /// <summary>The client's connection preface, RFC 9113 §3.4: <c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c>.</summary>
    public static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public bool EndStream => (Flags & EndStreamFlag) != 0;

    public bool EndHeaders => (Flags & EndHeadersFlag) != 0;

    /// <summary>Reads a frame header; need more when fewer than <see cref="Size"/> bytes are there.</summary>
    public static ParseResult TryRead(ReadOnlySpan<byte> data, out Http2FrameHeader header)
    {
        header = default;
        if (data.Length < Size)
        {
            return ParseResult.NeedMore;
        }

        int length = data[0] << 16 | data[1] << 8 | data[2];
        byte type = data[3];
        byte flags = data[4];
        int stream = (int)(BinaryPrimitives.ReadUInt32BigEndian(data[5..]) & 0x7FFF_FFFF);
        header = new Http2FrameHeader(length, type, flags, stream);
        return type switch
        {
            Data or Headers or Continuation or PushPromise when stream == 0 =>
                ParseResult.Malformed(WireError.Http2BadFrame, 5, "DATA, HEADERS, CONTINUATION or PUSH_PROMISE on stream 0"),
            Settings or Ping or GoAway when stream != 0 =>
                ParseResult.Malformed(WireError.Http2BadFrame, 5, "SETTINGS, PING or GOAWAY on a stream"),
            Settings when length % 6 != 0 => ParseResult.Malformed(WireError.Http2BadFrame, 0, "SETTINGS length is not a multiple of 6"),
            Ping when length != 8 => ParseResult.Malformed(WireError.Http2BadFrame, 0, "PING length is not 8"),
            WindowUpdate when length != 4 => ParseResult.Malformed(WireError.Http2BadFrame, 0, "WINDOW_UPDATE length is not 4"),
            RstStream when length != 4 || stream == 0 => ParseResult.Malformed(WireError.Http2BadFrame, 0, "RST_STREAM is not 4 bytes on a stream"),
            Priority when length != 5 || stream == 0 => ParseResult.Malformed(WireError.Http2BadFrame, 0, "PRIORITY is not 5 bytes on a stream"),
            GoAway when length < 8 => ParseResult.Malformed(WireError.Http2BadFrame, 0, "GOAWAY shorter than 8 bytes"),
            _ => ParseResult.Parsed(Size),
        };
    }

    /// <summary>
    /// The header block fragment of a HEADERS (or PUSH_PROMISE, after its promised stream id) frame's payload, without
    /// padding and priority fields (RFC 9113 §6.2, §6.6); false when the padding is longer than the payload.
    /// </summary>
    public bool TryGetFragment(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> fragment) => TryGetFragment(payload, out fragment, out _);

    /// <inheritdoc cref="TryGetFragment(ReadOnlySpan{byte}, out ReadOnlySpan{byte})"/>
    /// <param name="offset">Where the fragment starts in the payload.</param>
    public bool TryGetFragment(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> fragment, out int offset)
    {
        fragment = default;
        offset = 0;
        int start = 0;
        int padding = 0;
        if ((Flags & PaddedFlag) != 0 && Type is Headers or PushPromise)
        {
            if (payload.Length < 1)
            {
                return false;
            }

            padding = payload[0];
            start = 1;
        }

        if (Type == Headers && (Flags & PriorityFlag) != 0)
        {
            start += 5;
        }
        else if (Type == PushPromise)
        {
            start += 4;
        }

        if (start + padding > payload.Length)
        {
            return false;
        }

        fragment = payload[start..^padding];
        offset = start;
        return true;
    }
}
