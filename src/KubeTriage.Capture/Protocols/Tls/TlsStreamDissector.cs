using System.Buffers;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>
/// TLS on one connection, through the handshake. The client's records are read until the first handshake message is
/// whole (a ClientHello split over several records is put back together in a pooled buffer, at most
/// <see cref="MaxHandshakeBytes"/>) for its server name. Then both directions' record headers are followed, bodies
/// skipped, until the handshake is decided (<see cref="TlsHandshakeOutcome"/>):
/// <list type="bullet">
/// <item>the ServerHello's chosen version;</item>
/// <item>an alert from either side: in the clear (two bytes: level and description) before that side's keys are in use,
/// else an encrypted record; in TLS 1.3 an encrypted alert is an application-data record of 19 bytes (the alert, its
/// content type and a 16-byte tag), the size of no Finished;</item>
/// <item>completed: in TLS 1.3 the client's first encrypted record is not an alert (its Finished) and the server's next
/// record is not one either (a server refusing the client's certificate answers the Finished with an alert), in TLS 1.2
/// both sides sent their ChangeCipherSpec, or application data flowed;</item>
/// <item>a server that answers the ClientHello with something other than a TLS record.</item>
/// </list>
/// The transaction is reported once, when the handshake is decided, or at a gap or the end with what was seen.
/// </summary>
internal sealed class TlsStreamDissector : ITcpStreamDissector
{
    /// <summary>ClientHellos with post-quantum key shares pass 1.5 KB; 64 KB is far beyond any real one.</summary>
    public const int MaxHandshakeBytes = 64 * 1024;

    /// <summary>An AEAD-protected alert in TLS 1.3: two alert bytes, the inner content type, a 16-byte tag.</summary>
    public const int EncryptedAlertLength = 19;

    private readonly TcpStreamContext _context;
    private readonly TextCache _cache;
    private readonly bool _swapped;
    private byte[]? _handshake;
    private int _handshakeLength;
    private long? _startNs;
    private long _startFrame;
    private long _streamOffset;
    private bool _done;

    // After the ClientHello: the transaction to report, and what each side has sent.
    private TlsTransaction? _hello;
    private int _skipClient;
    private int _skipServer;
    private bool _serverSpoke;
    private bool _serverHello;
    private ushort _version;
    private bool _clientChangeCipherSpec;
    private bool _serverChangeCipherSpec;
    private bool _clientFinished;
    private long _clientFinishedNs;
    private long _clientFinishedFrame;

    public TlsStreamDissector(TcpStreamContext context, TextCache cache, bool swapRoles = false)
    {
        _context = context;
        _cache = cache;
        _swapped = swapRoles;
    }

    public string Protocol => "tls";

    public int OnData(ReadOnlySpan<byte> data, bool fromClient, long timeNs, long frame)
    {
        if (_done)
        {
            return data.Length;
        }

        bool client = fromClient != _swapped;
        if (_hello is not null)
        {
            return client ? OnClientRecords(data, timeNs, frame) : OnServerRecords(data, timeNs, frame);
        }

        if (!client)
        {
            // Nothing the server says before the ClientHello is read matters.
            return data.Length;
        }

        _startNs ??= timeNs;
        if (_startFrame == 0)
        {
            _startFrame = frame;
        }

        var consumed = 0;
        while (!_done && _hello is null && consumed < data.Length)
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
        if (_done)
        {
            return data.Length;
        }

        // Records after the ClientHello in the same bytes are the handshake's next steps.
        return _hello is not null && consumed < data.Length ? consumed + OnClientRecords(data[consumed..], timeNs, frame) : consumed;
    }

    public void OnGap(bool fromClient, long timeNs, long missingBytes, bool snapCut)
    {
        if (_hello is not null || fromClient != _swapped)
        {
            ReportUndecided();
        }
    }

    public void OnEnd(long timeNs) => ReportUndecided();

    /// <summary>At a gap or the end: a TLS 1.3 client's Finished the server did not refuse is a completed handshake; anything else is unknown.</summary>
    private void ReportUndecided()
    {
        if (_clientFinished)
        {
            Report(TlsHandshakeOutcome.Completed, null, _clientFinishedNs, _clientFinishedFrame);
        }
        else
        {
            Report(TlsHandshakeOutcome.Unknown, null, 0, 0);
        }
    }

    private int OnClientRecords(ReadOnlySpan<byte> data, long timeNs, long frame)
    {
        var consumed = 0;
        while (!_done && consumed < data.Length)
        {
            if (!NextRecord(data, ref _skipClient, ref consumed, out var type, out var length, out var body))
            {
                break;
            }

            switch (type)
            {
                case TlsRecordHeader.Alert:
                    OnAlert(TlsHandshakeOutcome.ClientAlert, length, body, timeNs, frame);
                    break;
                case TlsRecordHeader.ChangeCipherSpec:
                    _clientChangeCipherSpec = true;
                    if (_version != 0x0304 && _serverChangeCipherSpec)
                    {
                        Report(TlsHandshakeOutcome.Completed, null, timeNs, frame);
                    }

                    break;
                case TlsRecordHeader.ApplicationData when _version != 0x0304:
                    // TLS 1.2: application data only follows the handshake.
                    Report(TlsHandshakeOutcome.Completed, null, timeNs, frame);
                    break;
                case TlsRecordHeader.ApplicationData when !_clientFinished:
                    // TLS 1.3: the client's first encrypted record is its Finished (or its certificate), or an alert when
                    // it gives up (most often on the server's certificate). After the Finished the server may still
                    // refuse the client's certificate: its next record says.
                    if (length == EncryptedAlertLength)
                    {
                        Report(TlsHandshakeOutcome.ClientAlert, null, timeNs, frame);
                    }
                    else
                    {
                        _clientFinished = true;
                        _clientFinishedNs = timeNs;
                        _clientFinishedFrame = frame;
                    }

                    break;
            }
        }

        return _done ? data.Length : consumed;
    }

    private int OnServerRecords(ReadOnlySpan<byte> data, long timeNs, long frame)
    {
        if (!_serverSpoke && data.Length > 0 && !LooksLikeRecord(data))
        {
            Report(TlsHandshakeOutcome.ServerNotTls, null, timeNs, frame);
            return data.Length;
        }

        _serverSpoke |= data.Length > 0;
        var consumed = 0;
        while (!_done && consumed < data.Length)
        {
            bool wantBody = !_serverHello;
            if (!NextRecord(data, ref _skipServer, ref consumed, out var type, out var length, out var body, wantBody))
            {
                break;
            }

            switch (type)
            {
                case TlsRecordHeader.Handshake when !_serverHello:
                    if (ServerHelloMessage.TryRead(body, out var hello).IsParsed)
                    {
                        _serverHello = true;
                        _version = hello.Version;
                    }
                    else
                    {
                        // Not a ServerHello the dissector can read: nothing more to learn from this connection.
                        Report(TlsHandshakeOutcome.Unknown, null, 0, 0);
                    }

                    break;
                case TlsRecordHeader.Alert:
                    OnAlert(TlsHandshakeOutcome.ServerAlert, length, body, timeNs, frame);
                    break;
                case TlsRecordHeader.ChangeCipherSpec:
                    _serverChangeCipherSpec = true;
                    if (_version != 0x0304 && _clientChangeCipherSpec)
                    {
                        Report(TlsHandshakeOutcome.Completed, null, timeNs, frame);
                    }

                    break;
                case TlsRecordHeader.ApplicationData when _version != 0x0304:
                    Report(TlsHandshakeOutcome.Completed, null, timeNs, frame);
                    break;
                case TlsRecordHeader.ApplicationData when _clientFinished:
                    // TLS 1.3, the server's first record after the client's Finished: a session ticket or an answer
                    // completes the handshake; an alert-sized record is the server refusing (a client certificate
                    // missing or not trusted, with mutual TLS).
                    if (length == EncryptedAlertLength)
                    {
                        Report(TlsHandshakeOutcome.ServerAlert, null, timeNs, frame);
                    }
                    else
                    {
                        Report(TlsHandshakeOutcome.Completed, null, _clientFinishedNs, _clientFinishedFrame);
                    }

                    break;
            }
        }

        return _done ? data.Length : consumed;
    }

    /// <summary>
    /// The next record of a direction: false when its header is not all there yet. The body is given when it is whole
    /// and asked for, or is an alert; otherwise what is there of it is consumed and the rest skipped as it comes.
    /// </summary>
    private bool NextRecord(ReadOnlySpan<byte> data, ref int skip, ref int consumed, out byte type, out int length, out ReadOnlySpan<byte> body, bool wantBody = false)
    {
        type = 0;
        length = 0;
        body = default;
        while (skip > 0 && consumed < data.Length)
        {
            int take = Math.Min(skip, data.Length - consumed);
            skip -= take;
            consumed += take;
        }

        var rest = data[consumed..];
        if (skip > 0 || rest.Length < TlsRecordHeader.Size)
        {
            return false;
        }

        type = rest[0];
        length = rest[3] << 8 | rest[4];
        if (type is < TlsRecordHeader.ChangeCipherSpec or > TlsRecordHeader.Heartbeat || rest[1] != 3 || length > TlsRecordHeader.MaxFragment)
        {
            // Not a record boundary (bytes lost or a protocol the dissector does not know): stop following.
            Report(TlsHandshakeOutcome.Unknown, null, 0, 0);
            consumed = data.Length;
            return false;
        }

        bool needBody = wantBody || (type == TlsRecordHeader.Alert && length == TlsAlert.Size);
        if (rest.Length >= TlsRecordHeader.Size + length)
        {
            body = rest.Slice(TlsRecordHeader.Size, length);
            consumed += TlsRecordHeader.Size + length;
            return true;
        }

        if (needBody)
        {
            return false;
        }

        consumed = data.Length;
        skip = TlsRecordHeader.Size + length - rest.Length;
        return true;
    }

    /// <summary>An alert record: in the clear, a fatal alert or close_notify ends the handshake (other warnings do not); encrypted, it does.</summary>
    private void OnAlert(TlsHandshakeOutcome side, int length, ReadOnlySpan<byte> body, long timeNs, long frame)
    {
        if (length == TlsAlert.Size && body.Length == TlsAlert.Size)
        {
            if (body[0] == TlsAlert.Fatal || body[1] == TlsAlert.CloseNotify)
            {
                Report(side, body[1], timeNs, frame);
            }

            return;
        }

        Report(side, null, timeNs, frame);
    }

    private static bool LooksLikeRecord(ReadOnlySpan<byte> data) =>
        data[0] is >= TlsRecordHeader.ChangeCipherSpec and <= TlsRecordHeader.Heartbeat && (data.Length < 2 || data[1] == 3);

    /// <summary>True when the handshake bytes settled the matter (the ClientHello read, or malformed).</summary>
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
        _hello = new TlsTransaction(_startNs ?? 0, client, server, sni, hello.LegacyVersion, _startFrame, _context.File);
        ReturnBuffer();
        return true;
    }

    private void Report(TlsHandshakeOutcome outcome, byte? alert, long timeNs, long frame)
    {
        if (_done)
        {
            return;
        }

        if (_hello is not null)
        {
            _context.Sink.OnTls(_hello with
            {
                Version = _version, Outcome = outcome, Alert = alert, EndNs = timeNs, EndFrame = frame,
                ServerAnswered = _serverSpoke || outcome is TlsHandshakeOutcome.ServerNotTls or TlsHandshakeOutcome.ServerAlert,
            });
            _hello = null;
        }

        Finish();
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
        ReturnBuffer();
    }

    private void ReturnBuffer()
    {
        if (_handshake is not null)
        {
            ArrayPool<byte>.Shared.Return(_handshake);
            _handshake = null;
        }
    }
}
