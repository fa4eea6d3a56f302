namespace KubeTriage.Capture.Protocols.Http2;

/// <summary>
/// Recognises HTTP/2 in clear text: at a connection's start by the client's preface (RFC 9113 §3.4), whole or its
/// start; in a capture that joined later, or after a hole, by a segment that starts with frames.
/// </summary>
internal static class Http2Shape
{
    /// <summary>SETTINGS_MAX_FRAME_SIZE's initial value (RFC 9113 §6.5.2): larger frames are rare enough to refuse here.</summary>
    private const int MaxFrameLength = 16_384;

    /// <summary>True when the bytes are the preface or, in a first segment shorter than it, its first three bytes or more.</summary>
    public static bool LooksLikePreface(ReadOnlySpan<byte> data)
    {
        var preface = Http2FrameHeader.ClientPreface;
        return data.Length >= preface.Length ? data.StartsWith(preface) : data.Length >= 3 && preface.StartsWith(data);
    }

    /// <summary>
    /// True when the bytes start with an HTTP/2 frame: a frame header of a type of RFC 9113 §6 that
    /// <see cref="Http2FrameHeader.TryRead"/> accepts, only flags defined for its type, at most 16 KB long, and
    /// either the bytes end inside or right after it (a DATA or HEADERS frame may run on into the next segment) or
    /// the next frame header is just as plausible, up to four frames. TLS records, MySQL packets and text fail the
    /// length or type check at once.
    /// </summary>
    public static bool LooksLikeFrames(ReadOnlySpan<byte> data)
    {
        int offset = 0;
        for (int frames = 0; frames < 4; frames++)
        {
            if (offset == data.Length && frames > 0)
            {
                return true;
            }

            var rest = data[offset..];
            if (!Http2FrameHeader.TryRead(rest, out var header).IsParsed || !Plausible(header, rest))
            {
                return false;
            }

            offset += Http2FrameHeader.Size + header.Length;
            if (offset > data.Length)
            {
                return header.Type is Http2FrameHeader.Data or Http2FrameHeader.Headers or Http2FrameHeader.Continuation;
            }
        }

        return true;
    }

    private static bool Plausible(in Http2FrameHeader header, ReadOnlySpan<byte> bytes)
    {
        if (header.Length > MaxFrameLength || (bytes[5] & 0x80) != 0)
        {
            return false;
        }

        byte defined = header.Type switch
        {
            Http2FrameHeader.Data => Http2FrameHeader.EndStreamFlag | Http2FrameHeader.PaddedFlag,
            Http2FrameHeader.Headers => Http2FrameHeader.EndStreamFlag | Http2FrameHeader.EndHeadersFlag | Http2FrameHeader.PaddedFlag | Http2FrameHeader.PriorityFlag,
            Http2FrameHeader.Settings or Http2FrameHeader.Ping => Http2FrameHeader.AckFlag,
            Http2FrameHeader.PushPromise => Http2FrameHeader.EndHeadersFlag | Http2FrameHeader.PaddedFlag,
            Http2FrameHeader.Continuation => Http2FrameHeader.EndHeadersFlag,
            Http2FrameHeader.Priority or Http2FrameHeader.RstStream or Http2FrameHeader.GoAway or Http2FrameHeader.WindowUpdate => 0,
            _ => 0xFF,
        };
        return header.Type <= Http2FrameHeader.Continuation && (header.Flags & ~defined) == 0;
    }
}
