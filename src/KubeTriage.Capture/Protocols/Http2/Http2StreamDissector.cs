using System.Buffers;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Http;

namespace KubeTriage.Capture.Protocols.Http2;

/// <summary>
/// HTTP/2 in clear text (RFC 9113, "prior knowledge": what gRPC and h2c clients send), recognised by the client's
/// connection preface. Each direction's frames are followed (§4); header blocks (HEADERS or PUSH_PROMISE and their
/// CONTINUATIONs) are decoded with one HPACK decoder per direction (RFC 7541), so every block is decoded, even those
/// whose fields do not matter, to keep the dynamic tables in step. DATA payloads are counted, not kept.
/// Every stream the client opens becomes one <see cref="HttpTransaction"/> (<see cref="HttpTransaction.Http2"/>):
/// <c>:method</c>, <c>:authority</c>, <c>:path</c>, the final <c>:status</c>, gRPC's <c>grpc-status</c> and
/// <c>grpc-message</c> (in trailers, or in a trailers-only response), the bytes of its response frames, the time of
/// its first response header and of its end (END_STREAM), and a RST_STREAM's error code with who sent it. Streams a
/// server's GOAWAY left unprocessed (above its last stream id) end as REFUSED_STREAM. A stream reported at the close
/// or the capture's end without a final status is unanswered.
/// A hole in the capture, unless it fell inside a skipped payload (DATA, SETTINGS, …) of known size, loses the framing
/// of its direction until a segment starts with frames again, and the HPACK table's entries from before it: fields
/// that refer to them are unknown from then on, until the encoder adds them again (a stream's method and path are then
/// "?"). A capture that joined the connection after its preface is read the same way from its first frames.
/// Streams a client opens after a GOAWAY, above its last stream id, are refused at once.
/// </summary>
internal sealed class Http2StreamDissector : ITcpStreamDissector, IHpackFieldHandler
{
    /// <summary>Open streams kept per connection; a client opening more has its oldest reported as they are.</summary>
    public const int MaxOpenStreams = 1024;

    /// <summary>Error code of RST_STREAM for a stream a GOAWAY refused (RFC 9113 §7).</summary>
    public const uint RefusedStream = 0x7;

    private const int MaxAuthorityBytes = 256;
    private const int MaxGrpcMessageBytes = 512;

    private readonly TcpStreamContext _context;
    private readonly ProtocolOptions _options;
    private readonly TextCache _cache;
    private bool _swapped;
    private WireEndpoint _client;
    private WireEndpoint _server;
    private Direction _requests;
    private Direction _responses;

    /// <summary>Mid-stream, until a header block shows which side sends requests (<c>:method</c>) and which answers (<c>:status</c>).</summary>
    private bool _rolesKnown;

    /// <summary>A stream of this connection showed gRPC's content-type or a grpc-status: the connection carries gRPC.</summary>
    private bool _grpcConnection;
    private readonly Dictionary<int, Http2Stream> _streams = [];
    private Fields _fields;
    private int? _goAwayLastStream;
    private bool _stopped;

    /// <param name="midStream">
    /// The capture joined the connection after its preface: neither side's HPACK table is known (fields that refer to
    /// it are unknown until the encoder adds them again), and the engine's guess of the client is checked against the
    /// first header block that shows a <c>:method</c> or a <c>:status</c>.
    /// </param>
    public Http2StreamDissector(TcpStreamContext context, ProtocolOptions options, TextCache cache, bool swapRoles = false, bool midStream = false)
    {
        _context = context;
        _options = options;
        _cache = cache;
        _swapped = swapRoles;
        _client = swapRoles ? context.Server : context.Client;
        _server = swapRoles ? context.Client : context.Server;
        _rolesKnown = !midStream;
        // Mid-stream neither side's first bytes are the preface, either may turn out to be the client, and each side is
        // read from its first segment that starts with a frame (the other side's first bytes may be inside one).
        _requests = new Direction(tableKnown: !midStream) { PrefaceDone = midStream, Lost = midStream };
        _responses = new Direction(tableKnown: !midStream) { PrefaceDone = midStream, Lost = midStream };
    }

    public string Protocol => "http2";

    public int OnData(ReadOnlySpan<byte> data, bool fromClient, long timeNs, long frame)
    {
        if (_stopped)
        {
            return data.Length;
        }

        bool client = fromClient != _swapped;
        var direction = client ? _requests : _responses;
        int consumed = 0;
        if (direction.Lost)
        {
            if (!Http2Shape.LooksLikeFrames(data))
            {
                direction.StreamOffset += data.Length;
                return data.Length;
            }

            // Frames again: read on, with the HPACK table's entries from before the hole unknown.
            direction.Lost = false;
            direction.Hpack.Forget();
        }

        if (client && !direction.PrefaceDone)
        {
            var preface = Http2FrameHeader.ClientPreface;
            if (data.Length < preface.Length)
            {
                if (preface.StartsWith(data))
                {
                    return 0;
                }

                Fail(ParseResult.Malformed(WireError.Http2BadFrame, 0, "client did not start with the HTTP/2 connection preface"), frame, data, 0);
                return data.Length;
            }

            if (!data.StartsWith(preface))
            {
                Fail(ParseResult.Malformed(WireError.Http2BadFrame, 0, "client did not start with the HTTP/2 connection preface"), frame, data, 0);
                return data.Length;
            }

            consumed = preface.Length;
            direction.PrefaceDone = true;
            direction.StreamOffset += consumed;
        }

        while (!_stopped && consumed < data.Length)
        {
            if (direction.SkipRemaining > 0)
            {
                int take = (int)Math.Min(direction.SkipRemaining, data.Length - consumed);
                direction.SkipRemaining -= take;
                consumed += take;
                direction.StreamOffset += take;
                if (direction.SkipStream != 0)
                {
                    OnDataBytes(client, direction, timeNs);
                }

                continue;
            }

            var rest = data[consumed..];
            var read = Http2FrameHeader.TryRead(rest, out var header);
            if (read.IsNeedMore)
            {
                direction.NoteFrameStart(timeNs, frame);
                break;
            }

            if (read.IsMalformed)
            {
                Fail(read, frame, rest, direction.StreamOffset);
                return data.Length;
            }

            if (direction.Block is not null && header.Type != Http2FrameHeader.Continuation)
            {
                Fail(ParseResult.Malformed(WireError.Http2BadFrame, 3, "a header block's CONTINUATION expected"), frame, rest, direction.StreamOffset);
                return data.Length;
            }

            int used = OnFrame(client, direction, header, rest, timeNs, frame);
            client = fromClient != _swapped; // a header block may have shown that the roles were the other way round
            if (used == 0)
            {
                direction.NoteFrameStart(timeNs, frame);
                break;
            }

            direction.ClearFrameStart();
            consumed += used;
            direction.StreamOffset += used;
        }

        return _stopped ? data.Length : consumed;
    }

    /// <summary>Handles one frame whose header is read; returns the bytes used (0: the frame is not all here yet).</summary>
    private int OnFrame(bool client, Direction direction, in Http2FrameHeader header, ReadOnlySpan<byte> rest, long timeNs, long frame)
    {
        switch (header.Type)
        {
            case Http2FrameHeader.Data:
                if (!_grpcConnection && LooksLikeGrpcMessage(header, rest[Http2FrameHeader.Size..]))
                {
                    _grpcConnection = true;
                }

                direction.SkipRemaining = header.Length;
                direction.SkipStream = header.StreamId;
                direction.SkipEndStream = header.EndStream;
                if (!client && _streams.TryGetValue(header.StreamId, out var stream))
                {
                    stream.ResponseBytes += Http2FrameHeader.Size + header.Length;
                }

                if (header.Length == 0)
                {
                    OnDataBytes(client, direction, timeNs);
                }

                return Http2FrameHeader.Size;

            case Http2FrameHeader.Headers or Http2FrameHeader.PushPromise or Http2FrameHeader.Continuation:
                if (Http2FrameHeader.Size + header.Length > _options.MaxHttpHeaderBytes)
                {
                    Fail(ParseResult.Malformed(WireError.Http2BadHeaderBlock, 0, "header frame larger than the header limit"), frame, rest, direction.StreamOffset);
                    return 0;
                }

                if (rest.Length < Http2FrameHeader.Size + header.Length)
                {
                    return 0;
                }

                OnHeaderFrame(client, direction, header, rest.Slice(Http2FrameHeader.Size, header.Length), direction.FrameStartNs ?? timeNs,
                    direction.FrameStartFrame ?? frame, timeNs, frame, rest);
                return Http2FrameHeader.Size + header.Length;

            case Http2FrameHeader.RstStream:
                if (rest.Length < Http2FrameHeader.Size + 4)
                {
                    return 0;
                }

                OnReset(client, header.StreamId, ReadUInt32(rest[Http2FrameHeader.Size..]), timeNs);
                return Http2FrameHeader.Size + 4;

            case Http2FrameHeader.GoAway:
                if (rest.Length < Http2FrameHeader.Size + 8)
                {
                    return 0;
                }

                if (!client)
                {
                    OnGoAway((int)(ReadUInt32(rest[Http2FrameHeader.Size..]) & 0x7FFF_FFFF), timeNs);
                }

                direction.SkipRemaining = header.Length - 8;
                direction.SkipStream = 0;
                return Http2FrameHeader.Size + 8;

            default:
                // SETTINGS, PING, WINDOW_UPDATE, PRIORITY and extension frames: nothing a transaction needs.
                direction.SkipRemaining = header.Length;
                direction.SkipStream = 0;
                return Http2FrameHeader.Size;
        }
    }

    /// <param name="startNs">When the frame's first byte came (a frame split over segments starts in an earlier one).</param>
    /// <param name="timeNs">When its last byte came.</param>
    private void OnHeaderFrame(bool client, Direction direction, in Http2FrameHeader header, ReadOnlySpan<byte> payload, long startNs, long startFrame,
        long timeNs, long frame, ReadOnlySpan<byte> frameBytes)
    {
        if (header.Type == Http2FrameHeader.Continuation)
        {
            if (direction.Block is null || header.StreamId != direction.BlockStream)
            {
                Fail(ParseResult.Malformed(WireError.Http2BadFrame, 0, "CONTINUATION without a header block to continue"), frame, frameBytes, direction.StreamOffset);
                return;
            }

            if (direction.BlockLength + payload.Length > _options.MaxHttpHeaderBytes)
            {
                Fail(ParseResult.Malformed(WireError.Http2BadHeaderBlock, 0, "header block larger than the header limit"), frame, frameBytes, direction.StreamOffset);
                return;
            }

            direction.Append(payload);
            direction.BlockBytes += Http2FrameHeader.Size + payload.Length;
            if (header.EndHeaders)
            {
                var block = direction.Block;
                OnHeaderBlock(client, direction, direction.BlockType, direction.BlockStream, direction.BlockEndStream, block.AsSpan(0, direction.BlockLength),
                    direction.BlockOffset, direction.BlockBytes, direction.BlockStartNs, direction.BlockStartFrame, timeNs, frame);
                direction.ReturnBlock();
            }

            return;
        }

        if (!header.TryGetFragment(payload, out var fragment, out int fragmentOffset))
        {
            Fail(ParseResult.Malformed(WireError.Http2BadFrame, Http2FrameHeader.Size, "padding, priority or promised stream fields longer than the frame"), frame, frameBytes, direction.StreamOffset);
            return;
        }

        long blockOffset = direction.StreamOffset + Http2FrameHeader.Size + fragmentOffset;
        if (header.EndHeaders)
        {
            OnHeaderBlock(client, direction, header.Type, header.StreamId, header.EndStream, fragment, blockOffset, Http2FrameHeader.Size + header.Length,
                startNs, startFrame, timeNs, frame);
            return;
        }

        direction.StartBlock(header.Type, header.StreamId, header.EndStream, blockOffset, Http2FrameHeader.Size + header.Length, startNs, startFrame);
        direction.Append(fragment);
    }

    /// <summary>A whole header block: decoded (always, for HPACK's tables), then applied to its stream.</summary>
    /// <param name="blockOffset">Where the block starts in the stream (its first fragment, when CONTINUATIONs carry the rest).</param>
    private void OnHeaderBlock(bool client, Direction direction, byte type, int streamId, bool endStream, ReadOnlySpan<byte> block, long blockOffset,
        long frameBytes, long startNs, long startFrame, long endNs, long endFrame)
    {
        _fields = default;
        var decoded = direction.Hpack.Decode(block, this);
        bool unreadable = direction.Hpack.UnknownFields > 0;
        if (decoded.IsMalformed)
        {
            // The table may be half updated: its entries become unknown, and what the encoder adds from now on is read
            // again. This block's fields do not count; its framing does.
            ProtocolDiagnostics.Report(_context.Sink, decoded, _context.File, endFrame, _context.FlowName, blockOffset, block);
            direction.Hpack.Forget();
            _fields = default;
            unreadable = true;
        }

        if (type == Http2FrameHeader.PushPromise)
        {
            return;
        }

        if (!_rolesKnown && (_fields.Method is not null || _fields.Status is not null))
        {
            // Mid-stream the engine took the higher port for the client; a request or a response says who is.
            _rolesKnown = true;
            if (client == (_fields.Method is null))
            {
                Flip();
                client = !client;
            }
        }

        if (client)
        {
            if (!_streams.TryGetValue(streamId, out var opened))
            {
                OpenStream(streamId, startNs, startFrame, unreadable);
            }
            else
            {
                opened.HeadersUnreadable |= unreadable;
            }

            return;
        }

        if (!_streams.TryGetValue(streamId, out var stream))
        {
            // A stream whose request the capture did not show.
            return;
        }

        stream.HeadersUnreadable |= unreadable;
        stream.ResponseBytes += frameBytes;
        if (_fields.Status is { } status and >= 200 && stream.Status is null)
        {
            stream.Status = status;
            stream.FirstByteNs = startNs;
            stream.ResponseFrame = startFrame;
        }
        else if (_fields.Status is null && stream.Status is null && unreadable)
        {
            // The status is among the fields the capture cannot read: the block still answers the stream.
            stream.FirstByteNs ??= startNs;
            stream.ResponseFrame ??= startFrame;
        }

        if (_fields.GrpcStatus is { } grpc)
        {
            stream.GrpcStatus = grpc;
            stream.GrpcMessage = _fields.GrpcMessage;
        }

        stream.LastByteNs = endNs;
        if (endStream)
        {
            Complete(stream);
        }
    }

    /// <summary>The other side is the client: each direction's state goes with its bytes, the streams so far were misread.</summary>
    private void Flip()
    {
        (_requests, _responses) = (_responses, _requests);
        (_client, _server) = (_server, _client);
        _swapped = !_swapped;
        _streams.Clear();
    }

    private void OpenStream(int streamId, long timeNs, long frame, bool unreadable)
    {
        if (_streams.Count >= MaxOpenStreams)
        {
            var oldest = _streams.Values.MinBy(s => s.Id)!;
            Complete(oldest);
        }

        var stream = new Http2Stream(streamId, timeNs, frame)
        {
            Method = _fields.Method ?? "?",
            Authority = _fields.Authority,
            Path = _fields.Path ?? "?",
            Grpc = _fields.Grpc,
            HeadersUnreadable = unreadable,
        };
        _streams[streamId] = stream;
        if (streamId > _goAwayLastStream)
        {
            // Opened after the server's GOAWAY said it takes no stream above this one: it will not be processed.
            stream.ResetCode = RefusedStream;
            stream.ResetNs = timeNs;
            Complete(stream);
        }
    }

    /// <summary>
    /// Bytes of a DATA payload went by: the response's last byte is now. At the payload's end, END_STREAM from the
    /// server ends the stream.
    /// </summary>
    private void OnDataBytes(bool client, Direction direction, long timeNs)
    {
        Http2Stream? stream = null;
        if (!client && _streams.TryGetValue(direction.SkipStream, out stream))
        {
            stream.LastByteNs = timeNs;
        }

        if (direction.SkipRemaining > 0)
        {
            return;
        }

        bool end = direction.SkipEndStream;
        direction.SkipStream = 0;
        direction.SkipEndStream = false;
        if (stream is not null && end)
        {
            Complete(stream);
        }
    }

    private void OnReset(bool client, int streamId, uint code, long timeNs)
    {
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            return;
        }

        stream.ResetCode = code;
        stream.ResetByClient = client;
        stream.ResetNs = timeNs;
        Complete(stream);
    }

    private void OnGoAway(int lastStreamId, long timeNs)
    {
        _goAwayLastStream = Math.Min(_goAwayLastStream ?? int.MaxValue, lastStreamId);
        foreach (var stream in _streams.Values.Where(s => s.Id > lastStreamId).OrderBy(s => s.Id).ToList())
        {
            stream.ResetCode = RefusedStream;
            stream.ResetNs = timeNs;
            Complete(stream);
        }
    }

    public void OnField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (name.IsEmpty)
        {
            return;
        }

        if (name[0] == (byte)':')
        {
            if (name.SequenceEqual(":method"u8))
            {
                _fields.Method = _cache.Get(value);
            }
            else if (name.SequenceEqual(":path"u8))
            {
                var path = TextCache.TrimToUtf8Boundary(value, _options.MaxPathBytes);
                _fields.Path = _cache.Get(path, path.Length < value.Length);
            }
            else if (name.SequenceEqual(":authority"u8))
            {
                _fields.Authority = _cache.Get(TextCache.TrimToUtf8Boundary(value, MaxAuthorityBytes));
            }
            else if (name.SequenceEqual(":status"u8))
            {
                _fields.Status = ReadNumber(value, 3);
            }

            return;
        }

        if (name.SequenceEqual("grpc-status"u8))
        {
            _fields.GrpcStatus = ReadNumber(value, 2);
            _grpcConnection = true;
        }
        else if (name.SequenceEqual("grpc-message"u8))
        {
            _fields.GrpcMessage = PercentDecode(TextCache.TrimToUtf8Boundary(value, MaxGrpcMessageBytes));
        }
        else if (name.SequenceEqual("content-type"u8))
        {
            _fields.Grpc = value.StartsWith("application/grpc"u8);
            _grpcConnection |= _fields.Grpc;
        }
        else if (name.SequenceEqual("host"u8) && _fields.Authority is null)
        {
            _fields.Authority = _cache.Get(TextCache.TrimToUtf8Boundary(value, MaxAuthorityBytes));
        }
    }

    /// <summary>
    /// A hole in one direction: inside a payload that is skipped (DATA, SETTINGS, PING, …) and of known size the framing
    /// goes on (a DATA payload's stream counts one more gap); anywhere else the direction skips bytes until a segment
    /// starts with frames again (<see cref="Http2Shape.LooksLikeFrames"/>), every open stream counting a gap.
    /// </summary>
    public void OnGap(bool fromClient, long timeNs, long missingBytes, bool snapCut)
    {
        if (_stopped)
        {
            return;
        }

        bool client = fromClient != _swapped;
        var direction = client ? _requests : _responses;
        if (direction.SkipRemaining > 0 && missingBytes >= 0 && missingBytes <= direction.SkipRemaining)
        {
            if (_streams.TryGetValue(direction.SkipStream, out var stream))
            {
                stream.Gaps++;
            }

            direction.SkipRemaining -= missingBytes;
            direction.StreamOffset += missingBytes;
            if (direction.SkipRemaining == 0)
            {
                OnDataBytes(client, direction, timeNs);
            }

            return;
        }

        // The framing is lost until a segment starts with frames again; the streams go on, each with a gap, and the
        // HPACK table's older entries become unknown then (a lost block may have added some).
        foreach (var stream in _streams.Values)
        {
            stream.Gaps++;
        }

        direction.Lost = true;
        direction.SkipRemaining = 0;
        direction.SkipStream = 0;
        direction.SkipEndStream = false;
        direction.ClearFrameStart();
        direction.ReturnBlock();
    }

    public void OnEnd(long timeNs)
    {
        if (_stopped)
        {
            return;
        }

        ReportAll();
        _stopped = true;
    }

    private void ReportAll()
    {
        foreach (var stream in _streams.Values.OrderBy(s => s.Id).ToList())
        {
            Complete(stream);
        }

        _requests.ReturnBlock();
        _responses.ReturnBlock();
    }

    private void Complete(Http2Stream stream)
    {
        _streams.Remove(stream.Id);
        bool answered = stream.Status is not null || stream.FirstByteNs is not null;
        _context.Sink.OnHttp(new HttpTransaction(
            stream.TimeNs,
            _client,
            _server,
            stream.Method,
            stream.Authority,
            stream.Path,
            stream.Status,
            answered ? stream.ResponseBytes : 0,
            answered ? stream.FirstByteNs : null,
            answered ? stream.LastByteNs : null,
            stream.Frame,
            _context.File,
            answered ? stream.ResponseFrame : null)
        {
            Gaps = stream.Gaps,
            Version = HttpTransaction.Http2,
            StreamId = stream.Id,
            Grpc = stream.Grpc || _grpcConnection,
            GrpcStatus = stream.GrpcStatus,
            GrpcMessage = stream.GrpcMessage,
            ResetCode = stream.ResetCode,
            ResetByClient = stream.ResetByClient,
            ResetTimeNs = stream.ResetCode is null ? null : stream.ResetNs,
            HeadersUnreadable = stream.HeadersUnreadable,
        });
    }

    private void Fail(in ParseResult result, long frame, ReadOnlySpan<byte> bytes, long streamOffset)
    {
        ProtocolDiagnostics.Report(_context.Sink, result, _context.File, frame, _context.FlowName, streamOffset, bytes);
        ReportAll();
        _stopped = true;
    }

    /// <summary>
    /// A DATA payload that starts with a gRPC message (gRPC over HTTP/2, "Length-Prefixed-Message": a compressed flag
    /// of 0 or 1 and a 4-byte length that fits the frame): the connection carries gRPC even when the capture cannot
    /// read its content-type (mid-stream, it sits in the HPACK table).
    /// </summary>
    private static bool LooksLikeGrpcMessage(in Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if ((header.Flags & Http2FrameHeader.PaddedFlag) != 0 || header.Length < 5 || payload.Length < 5 || payload[0] > 1)
        {
            return false;
        }

        return 5 + (long)ReadUInt32(payload[1..]) == header.Length;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> data) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data);

    /// <summary>A decimal of at most <paramref name="maxDigits"/> digits, or null.</summary>
    private static int? ReadNumber(ReadOnlySpan<byte> value, int maxDigits)
    {
        if (value.IsEmpty || value.Length > maxDigits)
        {
            return null;
        }

        int number = 0;
        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return null;
            }

            number = number * 10 + (b - '0');
        }

        return number;
    }

    /// <summary>gRPC's <c>grpc-message</c> is percent-encoded UTF-8 (gRPC over HTTP/2, "Responses").</summary>
    private string PercentDecode(ReadOnlySpan<byte> value)
    {
        if (value.IndexOf((byte)'%') < 0)
        {
            return _cache.Get(value);
        }

        Span<byte> decoded = stackalloc byte[value.Length];
        int length = 0;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                decoded[length++] = (byte)(Hex(value[i + 1]) << 4 | Hex(value[i + 2]));
                i += 2;
            }
            else
            {
                decoded[length++] = value[i];
            }
        }

        return _cache.Get(decoded[..length]);
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int Hex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>The fields of the header block being decoded that a transaction keeps.</summary>
    private struct Fields
    {
        public string? Method;
        public string? Path;
        public string? Authority;
        public int? Status;
        public int? GrpcStatus;
        public string? GrpcMessage;
        public bool Grpc;
    }

    private sealed class Http2Stream(int id, long timeNs, long frame)
    {
        public int Id { get; } = id;

        public long TimeNs { get; } = timeNs;

        public long Frame { get; } = frame;

        public required string Method { get; init; }

        public string? Authority { get; init; }

        public required string Path { get; init; }

        public bool Grpc { get; init; }

        public int? Status { get; set; }

        public long? FirstByteNs { get; set; }

        public long? ResponseFrame { get; set; }

        public long LastByteNs { get; set; }

        public long ResponseBytes { get; set; }

        public int? GrpcStatus { get; set; }

        public string? GrpcMessage { get; set; }

        public uint? ResetCode { get; set; }

        public bool ResetByClient { get; set; }

        public long ResetNs { get; set; }

        public int Gaps { get; set; }

        public bool HeadersUnreadable { get; set; }
    }

    /// <summary>One direction's reading state: the preface, a payload being skipped, a header block being put together, HPACK.</summary>
    private sealed class Direction(bool tableKnown)
    {
        public bool PrefaceDone { get; set; }

        public long StreamOffset { get; set; }

        /// <summary>Bytes left of the current frame's payload that are counted, not read.</summary>
        public long SkipRemaining { get; set; }

        /// <summary>The stream of the DATA frame being skipped, 0 for any other frame.</summary>
        public int SkipStream { get; set; }

        public bool SkipEndStream { get; set; }

        public HpackDecoder Hpack { get; } = new(tableKnown: tableKnown);

        /// <summary>A hole lost this direction's framing: bytes are skipped until a segment starts with frames again.</summary>
        public bool Lost { get; set; }

        public byte[]? Block { get; private set; }

        public int BlockLength { get; private set; }

        public byte BlockType { get; private set; }

        public int BlockStream { get; private set; }

        public bool BlockEndStream { get; private set; }

        public long BlockBytes { get; set; }

        public long BlockStartNs { get; private set; }

        public long BlockStartFrame { get; private set; }

        public long BlockOffset { get; private set; }

        /// <summary>When and in which packet the frame being waited for began, while its bytes come in several segments.</summary>
        public long? FrameStartNs { get; private set; }

        public long? FrameStartFrame { get; private set; }

        public void NoteFrameStart(long timeNs, long frame)
        {
            FrameStartNs ??= timeNs;
            FrameStartFrame ??= frame;
        }

        public void ClearFrameStart()
        {
            FrameStartNs = null;
            FrameStartFrame = null;
        }

        public void StartBlock(byte type, int stream, bool endStream, long blockOffset, long frameBytes, long timeNs, long frame)
        {
            BlockOffset = blockOffset;
            Block = ArrayPool<byte>.Shared.Rent(4096);
            BlockLength = 0;
            BlockType = type;
            BlockStream = stream;
            BlockEndStream = endStream;
            BlockBytes = frameBytes;
            BlockStartNs = timeNs;
            BlockStartFrame = frame;
        }

        public void Append(ReadOnlySpan<byte> fragment)
        {
            if (BlockLength + fragment.Length > Block!.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Block.Length * 2, BlockLength + fragment.Length));
                Block.AsSpan(0, BlockLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(Block);
                Block = larger;
            }

            fragment.CopyTo(Block.AsSpan(BlockLength));
            BlockLength += fragment.Length;
        }

        public void ReturnBlock()
        {
            if (Block is not null)
            {
                ArrayPool<byte>.Shared.Return(Block);
                Block = null;
                BlockLength = 0;
            }
        }
    }
}
