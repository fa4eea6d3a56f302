using System.Buffers;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>
/// TLS on one connection, up to the ClientHello: its records are read until the first handshake message
/// is whole (a ClientHello split over several records is put back together in a pooled buffer, at most
/// <see cref="MaxHandshakeBytes"/>), the server name is reported, and everything after (encrypted, or not
/// needed) is skipped. The server's bytes are skipped from the start.
/// </summary>
internal sealed class TlsStreamDissector : ITcpStreamDissector
{
    /// <summary>ClientHellos with post-quantum key shares pass 1.5 KB; 64 KB is far beyond any real one.</summary>
    public const int MaxHandshakeBytes = 64 * 1024;

    private readonly TcpStreamContext _context;
    private readonly TextCache _cache;
    private readonly bool _swapped;
    private byte[]? _handshake;
    private int _handshakeLength;
    private long? _startNs;
    private long _startFrame;
    private long _streamOffset;
    private bool _done;

    public TlsStreamDissector(TcpStreamContext context, TextCache cache, bool swapRoles = false)
    {
        _context = context;
        _cache = cache;
        _swapped = swapRoles;
    }

    public string Protocol => "tls";

    public int OnData(ReadOnlySpan<byte> data, bool fromClient, long timeNs, long frame)
    {
        if (_done || fromClient == _swapped)
        {
            return data.Length;
        }

        _startNs ??= timeNs;
        if (_startFrame == 0)
        {
            _startFrame = frame;
        }

        var consumed = 0;
        while (!_done && consumed < data.Length)
        {
            var rest = data[consumed..];
            var record = TlsRecordHeader.TryRead(rest, out var header);
            if (record.IsNeedMore)
            {
                break;
            }

            if (record.IsMalformed)
            {
                Fail(record, frame, rest, consumed);
                return data.Length;
            }

            if (header.ContentType != TlsRecordHeader.Handshake)
            {
                Fail(ParseResult.Malformed(WireError.TlsBadRecord, 0, "record before the ClientHello is not a handshake record"), frame, rest, consumed);
                return data.Length;
            }

            consumed += record.Consumed;
            if (_handshake is null)
            {
                // The common case: the whole ClientHello in its first record, read in place.
                if (OnHandshakeBytes(header.Fragment, frame, consumed - record.Consumed + TlsRecordHeader.Size))
                {
                    break;
                }

                _handshake = ArrayPool<byte>.Shared.Rent(Math.Max(header.Fragment.Length * 2, 4096));
                header.Fragment.CopyTo(_handshake);
                _handshakeLength = header.Fragment.Length;
                continue;
            }

            if (_handshakeLength + header.Fragment.Length > MaxHandshakeBytes)
            {
                Fail(ParseResult.Malformed(WireError.TlsHandshakeTooLarge, 0, "ClientHello larger than 64 KB"), frame, rest, consumed - record.Consumed);
                return data.Length;
            }

            Append(header.Fragment);
            OnHandshakeBytes(_handshake.AsSpan(0, _handshakeLength), frame, consumed);
        }

        _streamOffset += consumed;
        return _done ? data.Length : consumed;
    }

    public void OnGap(bool fromClient, long timeNs, long missingBytes, bool snapCut)
    {
        if (fromClient != _swapped)
        {
            Finish();
        }
    }

    public void OnEnd(long timeNs) => Finish();

    /// <summary>True when the handshake bytes settled the matter (reported, or malformed).</summary>
    private bool OnHandshakeBytes(ReadOnlySpan<byte> handshake, long frame, long offset)
    {
        var result = ClientHelloMessage.TryRead(handshake, out var hello);
        if (result.IsNeedMore)
        {
            if (ClientHelloMessage.DeclaredLength(handshake) > MaxHandshakeBytes)
            {
                Fail(ParseResult.Malformed(WireError.TlsHandshakeTooLarge, 1, "ClientHello larger than 64 KB"), frame, handshake, offset);
                return true;
            }

            return false;
        }

        if (result.IsMalformed)
        {
            Fail(result, frame, handshake, offset);
            return true;
        }

        var client = _swapped ? _context.Server : _context.Client;
        var server = _swapped ? _context.Client : _context.Server;
        var sni = hello.ServerName.IsEmpty ? null : _cache.Get(hello.ServerName);
        _context.Sink.OnTls(new TlsTransaction(_startNs ?? 0, client, server, sni, hello.LegacyVersion, _startFrame, _context.File));
        Finish();
        return true;
    }

    private void Append(ReadOnlySpan<byte> fragment)
    {
        if (_handshakeLength + fragment.Length > _handshake!.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxHandshakeBytes, Math.Max(_handshake.Length * 2, _handshakeLength + fragment.Length)));
            _handshake.AsSpan(0, _handshakeLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_handshake);
            _handshake = larger;
        }

        fragment.CopyTo(_handshake.AsSpan(_handshakeLength));
        _handshakeLength += fragment.Length;
    }

    private void Fail(ParseResult result, long frame, ReadOnlySpan<byte> bytes, long offset)
    {
        ProtocolDiagnostics.Report(_context.Sink, result, _context.File, frame, _context.FlowName, _streamOffset + offset, bytes);
        Finish();
    }

    private void Finish()
    {
        _done = true;
        if (_handshake is not null)
        {
            ArrayPool<byte>.Shared.Return(_handshake);
            _handshake = null;
        }
    }
}
