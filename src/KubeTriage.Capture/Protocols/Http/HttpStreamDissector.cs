using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Http;

/// <summary>
/// HTTP/1.x on one connection. Each direction alternates between a head (start line and header
/// section, parsed once whole, within <see cref="ProtocolOptions.MaxHttpHeaderBytes"/> and
/// <see cref="ProtocolOptions.MaxHttpHeaders"/>) and a body consumed as it arrives, never buffered:
/// Content-Length, chunked, or, for responses, until the connection closes (RFC 9112 §6.3). Requests
/// wait in a FIFO so pipelined requests meet their responses in order; 1xx responses are interim
/// (101 and a successful CONNECT end the dissection: what follows is another protocol); responses to
/// HEAD and 204/304 have no body. A direction that starts mid-stream, or after a gap it cannot account
/// for, is skipped until a segment starts with a request method (client) or <c>HTTP/1.x</c> (server).
/// A gap inside a body keeps the message: with a Content-Length and a known count of missing bytes the
/// body end is still exact; otherwise a response reads on until the next response start or the close.
/// </summary>
internal sealed class HttpStreamDissector : ITcpStreamDissector
{
    private const int MaxHostBytes = 256;

    private readonly TcpStreamContext _context;
    private readonly ProtocolOptions _options;
    private readonly TextCache _cache;
    private readonly bool _swapped;
    private readonly WireEndpoint _client;
    private readonly WireEndpoint _server;
    private readonly Queue<PendingRequest> _pending = new();
    private readonly Direction _requests = new();
    private readonly Direction _responses = new();
    private bool _stopped;

    // Requests whose body a gap cut, one entry per gap (rare, so a list searched on emit).
    private List<long>? _requestGaps;
    private long _requestCount;

    // The response being read.
    private int _status;
    private bool _orphan;

    /// <param name="synced">False when only the port suggested HTTP: wait for a message start in each direction.</param>
    public HttpStreamDissector(TcpStreamContext context, ProtocolOptions options, TextCache cache, bool swapRoles = false, bool synced = true)
    {
        _context = context;
        _options = options;
        _cache = cache;
        _swapped = swapRoles;
        _client = swapRoles ? context.Server : context.Client;
        _server = swapRoles ? context.Client : context.Server;
        _requests.Synced = _responses.Synced = synced && !context.MidStream && !swapRoles;
    }

    private enum BodyKind : byte
    {
        None,
        Length,
        Chunked,
        UntilClose,

        /// <summary>A response body whose end a gap hid: read on until the next response start or the close.</summary>
        AfterGap,
    }

    private enum ChunkState : byte
    {
        Size,
        Data,
        DataEnd,
        Trailer,
    }

    public string Protocol => "http";

    public bool FollowsSnapCuts => true;

    public int OnData(ReadOnlySpan<byte> data, bool fromClient, long timeNs, long frame)
    {
        var client = fromClient != _swapped;
        var direction = client ? _requests : _responses;
        var consumed = 0;
        while (consumed < data.Length && !_stopped)
        {
            var rest = data[consumed..];
            if (!direction.Synced)
            {
                if (!(client ? HttpShape.LooksLikeRequest(rest) : HttpShape.LooksLikeResponse(rest)))
                {
                    consumed = data.Length;
                    break;
                }

                direction.Synced = true;
            }

            if (consumed == 0 && !client && direction.Body == BodyKind.AfterGap && NextResponseStarts(rest))
            {
                // The response a gap left open ends with the last byte before this segment.
                Emit(_pending.Dequeue(), _status, direction.LastNs, direction.StartFrame);
                direction.Reset();
            }

            direction.LastNs = timeNs;
            if (direction.InBody)
            {
                var used = ConsumeBody(direction, rest, frame, direction.StreamOffset + consumed);
                consumed += used;
                if (!direction.InBody)
                {
                    OnMessageEnd(client, timeNs, frame);
                }
                else if (used == 0 || consumed < data.Length)
                {
                    break;
                }

                continue;
            }

            direction.StartNs ??= timeNs;
            direction.StartFrame ??= frame;
            var head = client ? OnRequestHead(rest, timeNs, frame) : OnResponseHead(rest, timeNs, frame);
            if (head.IsNeedMore)
            {
                break;
            }

            if (head.IsMalformed)
            {
                ProtocolDiagnostics.Report(_context.Sink, head, _context.File, frame, _context.FlowName, direction.StreamOffset + consumed, rest);
                Unsynchronise();
                consumed = data.Length;
                break;
            }

            consumed += head.Consumed;
            if (!direction.InBody)
            {
                OnMessageEnd(client, timeNs, frame);
            }
        }

        direction.StreamOffset += consumed;
        return _stopped ? data.Length : consumed;
    }

    /// <summary>
    /// Bytes are missing in one direction. Inside a body the message stays open and the gap is counted on
    /// its transaction: a Content-Length body with a known count of missing bytes goes on exactly (they
    /// count in its bytes); any other response body reads on until the next response start or the close,
    /// its last byte time following every later byte. A request cut by the gap keeps waiting for its
    /// response. Elsewhere the direction resynchronises on its next message start.
    /// </summary>
    public void OnGap(bool fromClient, long timeNs, long missingBytes, bool snapCut)
    {
        if (_stopped)
        {
            return;
        }

        if (fromClient != _swapped)
        {
            OnRequestGap(missingBytes);
            return;
        }

        var direction = _responses;
        if (!direction.Synced || !direction.InBody || _orphan || _pending.Count == 0)
        {
            direction.Reset();
            direction.Synced = false;
            return;
        }

        direction.Gaps++;
        if (snapCut)
        {
            // The uncaptured tail of a segment: its bytes were sent at that segment's time.
            direction.LastNs = timeNs;
        }

        if (direction.Body != BodyKind.Length || missingBytes < 0)
        {
            direction.Body = BodyKind.AfterGap;
            direction.Bytes += Math.Max(missingBytes, 0);
            return;
        }

        if (missingBytes < direction.Remaining)
        {
            direction.Remaining -= missingBytes;
            direction.Bytes += missingBytes;
            return;
        }

        // The body ended inside the gap: it ends with the last byte seen (or the cut segment's time).
        direction.Bytes += direction.Remaining;
        var beyond = missingBytes - direction.Remaining;
        Emit(_pending.Dequeue(), _status, direction.LastNs, direction.StartFrame);
        direction.Reset();
        direction.Synced = beyond == 0;
    }

    public void OnEnd(long timeNs)
    {
        if (!_stopped && _responses.Synced && _responses.StartNs is not null && _responses.HeadDone && _pending.Count > 0 && !_orphan)
        {
            // The body ran until the close (or the capture ended inside it): the response ends with its last byte.
            Emit(_pending.Dequeue(), _status, _responses.LastNs, _responses.StartFrame);
        }

        while (_pending.TryDequeue(out var request))
        {
            Emit(request, null, null, null);
        }

        _stopped = true;
    }

    private void OnRequestGap(long missingBytes)
    {
        var direction = _requests;
        if (direction.Synced && direction.InBody && _pending.Count > 0)
        {
            (_requestGaps ??= []).Add(_requestCount);
            if (direction.Body == BodyKind.Length && missingBytes >= 0 && missingBytes <= direction.Remaining)
            {
                direction.Remaining -= missingBytes;
                if (direction.Remaining == 0)
                {
                    direction.Reset();
                }

                return;
            }
        }

        direction.Reset();
        direction.Synced = false;
    }

    /// <summary>A segment after a gap starts a response, and a request (or a client gap) leaves room for one.</summary>
    private bool NextResponseStarts(ReadOnlySpan<byte> segment) =>
        (_pending.Count > 1 || !_requests.Synced) && HttpShape.LooksLikeResponse(segment);

    private ParseResult OnRequestHead(ReadOnlySpan<byte> data, long timeNs, long frame)
    {
        var lineResult = HttpRequestLine.TryRead(data, _options.MaxHttpHeaderBytes, out var line);
        if (!lineResult.IsParsed)
        {
            return lineResult;
        }

        var sectionResult = HttpHeaderSection.TryRead(data[lineResult.Consumed..], _options.MaxHttpHeaderBytes - lineResult.Consumed, _options.MaxHttpHeaders, out var headers);
        if (!sectionResult.IsParsed)
        {
            return sectionResult.IsMalformed ? sectionResult with { Offset = sectionResult.Offset + lineResult.Consumed } : sectionResult;
        }

        if (_pending.Count >= _options.MaxPendingPerConnection)
        {
            Emit(_pending.Dequeue(), null, null, null);
        }

        var path = TextCache.TrimToUtf8Boundary(line.Target, _options.MaxPathBytes);
        var host = headers.Host.IsEmpty ? null : _cache.Get(TextCache.TrimToUtf8Boundary(headers.Host, MaxHostBytes));
        _pending.Enqueue(new PendingRequest(
            ++_requestCount,
            _cache.Get(line.Method),
            host,
            _cache.Get(path, path.Length < line.Target.Length),
            _requests.StartNs ?? timeNs,
            _requests.StartFrame ?? frame,
            line.Method.SequenceEqual("HEAD"u8),
            line.Method.SequenceEqual("CONNECT"u8)));

        // A request has a body only when it says so (RFC 9112 §6.3 rules 4, 5 and 7).
        StartBody(_requests, headers.Chunked ? BodyKind.Chunked : headers.ContentLength > 0 ? BodyKind.Length : BodyKind.None, headers.ContentLength ?? 0);
        return ParseResult.Parsed(lineResult.Consumed + sectionResult.Consumed);
    }

    private ParseResult OnResponseHead(ReadOnlySpan<byte> data, long timeNs, long frame)
    {
        var lineResult = HttpStatusLine.TryRead(data, _options.MaxHttpHeaderBytes, out var line);
        if (!lineResult.IsParsed)
        {
            return lineResult;
        }

        var sectionResult = HttpHeaderSection.TryRead(data[lineResult.Consumed..], _options.MaxHttpHeaderBytes - lineResult.Consumed, _options.MaxHttpHeaders, out var headers);
        if (!sectionResult.IsParsed)
        {
            return sectionResult.IsMalformed ? sectionResult with { Offset = sectionResult.Offset + lineResult.Consumed } : sectionResult;
        }

        var consumed = lineResult.Consumed + sectionResult.Consumed;
        _status = line.Status;
        _orphan = _pending.Count == 0;
        var request = _orphan ? default : _pending.Peek();
        _responses.HeadDone = true;
        _responses.Bytes += consumed;
        if (_status is >= 100 and < 200 && _status != 101)
        {
            // Interim (100 Continue, 103 Early Hints): the final response follows.
            _responses.Reset();
            return ParseResult.Parsed(consumed);
        }

        if (_status == 101 || (request.IsConnect && _status is >= 200 and < 300))
        {
            // The connection now carries another protocol (WebSocket, a tunnel).
            OnMessageEnd(false, timeNs, frame);
            _stopped = true;
            return ParseResult.Parsed(consumed);
        }

        var kind = request.IsHead || _status is 204 or 304 ? BodyKind.None
            : headers.Chunked ? BodyKind.Chunked
            : headers.HasTransferEncoding ? BodyKind.UntilClose
            : headers.ContentLength is { } length ? (length > 0 ? BodyKind.Length : BodyKind.None)
            : BodyKind.UntilClose;
        StartBody(_responses, kind, headers.ContentLength ?? 0);
        return ParseResult.Parsed(consumed);
    }

    private static void StartBody(Direction direction, BodyKind kind, long length)
    {
        direction.Body = kind;
        direction.Remaining = length;
        direction.Chunk = ChunkState.Size;
        direction.InBody = kind != BodyKind.None;
    }

    /// <summary>Consumes body bytes as they come; returns how many were used (0 when a framing line is incomplete).</summary>
    private int ConsumeBody(Direction direction, ReadOnlySpan<byte> data, long frame, long streamOffset)
    {
        var used = 0;
        while (used < data.Length && direction.InBody)
        {
            var rest = data[used..];
            switch (direction.Body)
            {
                case BodyKind.UntilClose or BodyKind.AfterGap:
                    used = data.Length;
                    break;
                case BodyKind.Length:
                    var take = (int)Math.Min(direction.Remaining, rest.Length);
                    used += take;
                    direction.Remaining -= take;
                    direction.InBody = direction.Remaining > 0;
                    break;
                case BodyKind.Chunked:
                    var step = ConsumeChunked(direction, rest, frame, streamOffset + used);
                    if (step == 0)
                    {
                        direction.Bytes += used;
                        return used;
                    }

                    used += step;
                    break;
            }
        }

        direction.Bytes += used;
        return used;
    }

    private int ConsumeChunked(Direction direction, ReadOnlySpan<byte> data, long frame, long streamOffset)
    {
        switch (direction.Chunk)
        {
            case ChunkState.Size:
                var size = HttpChunkSizeLine.TryRead(data, out var line);
                if (size.IsMalformed)
                {
                    ProtocolDiagnostics.Report(_context.Sink, size, _context.File, frame, _context.FlowName, streamOffset, data);
                    Unsynchronise();
                    return data.Length;
                }

                if (size.IsParsed)
                {
                    direction.Remaining = line.Size;
                    direction.Chunk = line.Size == 0 ? ChunkState.Trailer : ChunkState.Data;
                }

                return size.Consumed;
            case ChunkState.Data:
                var take = (int)Math.Min(direction.Remaining, data.Length);
                direction.Remaining -= take;
                if (direction.Remaining == 0)
                {
                    direction.Chunk = ChunkState.DataEnd;
                }

                return take;
            case ChunkState.DataEnd:
                if (!HttpSyntax.TryTakeLine(data[..Math.Min(data.Length, 2)], out var end, out var consumed))
                {
                    if (data.Length < 2)
                    {
                        return 0;
                    }

                    end = data[..1];
                }

                if (!end.IsEmpty)
                {
                    ProtocolDiagnostics.Report(_context.Sink, WireError.HttpBadChunk, _context.File, frame, _context.FlowName, streamOffset, data, 0, "chunk data not followed by CRLF");
                    Unsynchronise();
                    return data.Length;
                }

                direction.Chunk = ChunkState.Size;
                return consumed;
            default:
                var trailer = HttpFieldLine.TryRead(data, out var field);
                if (trailer.IsMalformed)
                {
                    ProtocolDiagnostics.Report(_context.Sink, trailer, _context.File, frame, _context.FlowName, streamOffset, data);
                    Unsynchronise();
                    return data.Length;
                }

                if (trailer.IsParsed && field.IsEnd)
                {
                    direction.InBody = false;
                }

                return trailer.Consumed;
        }
    }

    private void OnMessageEnd(bool client, long timeNs, long frame)
    {
        if (client)
        {
            _requests.Reset();
            return;
        }

        if (!_orphan && _pending.Count > 0 && _responses.HeadDone)
        {
            Emit(_pending.Dequeue(), _status, timeNs, _responses.StartFrame);
        }

        _responses.Reset();
    }

    private void Emit(PendingRequest request, int? status, long? lastByteNs, long? responseFrame)
    {
        var answered = status is not null;
        var gaps = answered ? _responses.Gaps : 0;
        if (_requestGaps is { Count: > 0 } requestGaps)
        {
            // Requests are answered in order: entries of this one count, earlier ones are stale.
            for (var i = requestGaps.Count - 1; i >= 0; i--)
            {
                if (requestGaps[i] <= request.Id)
                {
                    gaps += requestGaps[i] == request.Id ? 1 : 0;
                    requestGaps.RemoveAt(i);
                }
            }
        }

        _context.Sink.OnHttp(new HttpTransaction(
            request.TimeNs,
            _client,
            _server,
            request.Method,
            request.Host,
            request.Path,
            status,
            answered ? _responses.Bytes : 0,
            answered ? _responses.StartNs : null,
            lastByteNs,
            request.Frame,
            _context.File,
            answered ? responseFrame : null)
        {
            Gaps = gaps,
        });
    }

    private void Unsynchronise()
    {
        _pending.Clear();
        _requestGaps?.Clear();
        _requests.Reset();
        _responses.Reset();
        _requests.Synced = false;
        _responses.Synced = false;
    }

    private readonly record struct PendingRequest(long Id, string Method, string? Host, string Path, long TimeNs, long Frame, bool IsHead, bool IsConnect);

    private sealed class Direction
    {
        public bool Synced { get; set; }

        public bool InBody { get; set; }

        public bool HeadDone { get; set; }

        public BodyKind Body { get; set; }

        public ChunkState Chunk { get; set; }

        public long Remaining { get; set; }

        /// <summary>Wire bytes of the current message so far.</summary>
        public long Bytes { get; set; }

        public long? StartNs { get; set; }

        public long? StartFrame { get; set; }

        public long LastNs { get; set; }

        public long StreamOffset { get; set; }

        /// <summary>Gaps inside the current message.</summary>
        public int Gaps { get; set; }

        public void Reset()
        {
            Gaps = 0;
            InBody = false;
            HeadDone = false;
            Body = BodyKind.None;
            Remaining = 0;
            Bytes = 0;
            StartNs = null;
            StartFrame = null;
        }
    }
}
