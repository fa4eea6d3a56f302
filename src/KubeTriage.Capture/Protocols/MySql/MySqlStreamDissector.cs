using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.MySql;

/// <summary>
/// MySQL/MariaDB classic protocol on one connection. Packets are framed per direction (3-byte length,
/// sequence id; 0xFFFFFF payloads continued by the next packet). The login is followed through greeting,
/// HandshakeResponse41 or SSLRequest, and auth switch / more data to OK or ERR. Client commands wait in a
/// FIFO (pipelining clients send several before the answers); the server's packets are read against
/// <see cref="MySqlExpected"/>. Row packets are skipped without being buffered; only packets that decide
/// something are looked into, at most <see cref="MaxInspectBytes"/> of each.
/// A connection that starts mid-stream (or loses bytes) ignores everything until a client packet that
/// <see cref="MySqlShape.LooksLikeCommand"/>; whether result sets end with EOF or with an OK
/// (CLIENT_DEPRECATE_EOF) is then learnt from their shape.
/// </summary>
internal sealed class MySqlStreamDissector : ITcpStreamDissector
{
    /// <summary>Bytes of one packet examined at most; the rest of a longer packet is skipped.</summary>
    public const int MaxInspectBytes = 16 * 1024;

    private const int MaxErrorMessageBytes = 512;

    /// <summary>Stands for "no answer packet yet" in <see cref="_firstResponseNs"/>.</summary>
    private const long NoResponse = long.MinValue;

    private readonly TcpStreamContext _context;
    private readonly ProtocolOptions _options;
    private readonly TextCache _cache;
    private readonly bool _swapped;

    // Per-connection state is kept in this one object: a capture holds many short connections.
    private MySqlPendingQueue _pending;
    private Dictionary<uint, string?>? _statements;
    private PerDirection<long> _skip;
    private PerDirection<bool> _continued;
    private PerDirection<long> _streamOffset;

    private Phase _phase;
    private MySqlExpected _expected;
    private int _remaining;
    private int _prepareColumns;
    private uint _preparedId;
    private bool _inResponse;
    private byte _lastServerSequence;
    private long _firstResponseNs = NoResponse;
    private long _lastAnswerNs;
    private long _lastAnswerFrame;
    private long _rows;
    private bool _sawResultSet;
    private uint _serverCapabilities;
    private bool? _deprecateEof;
    private bool? _queryAttributes;
    private bool _compressed;
    private string? _serverVersion;
    private MySqlPendingCommand? _login;
    private TransactionEndpoints? _endpoints;

    /// <param name="swapRoles">True when the engine's client is the MySQL server (seen mid-stream from the command shape).</param>
    /// <param name="synced">False when only the port suggested MySQL: wait for a client command.</param>
    public MySqlStreamDissector(TcpStreamContext context, ProtocolOptions options, TextCache cache, bool swapRoles = false, bool synced = true)
    {
        _context = context;
        _options = options;
        _cache = cache;
        _swapped = swapRoles;
        _phase = context.MidStream || swapRoles || !synced ? Phase.Unsynced : Phase.Greeting;
    }

    private enum Phase : byte
    {
        Unsynced,
        Greeting,
        LoginResponse,
        AuthResult,
        Command,
        Stopped,
    }

    public string Protocol => "mysql";

    public int OnData(ReadOnlySpan<byte> data, bool fromClient, long timeNs, long frame)
    {
        var client = fromClient != _swapped;
        var side = client ? 0 : 1;
        var consumed = 0;
        while (consumed < data.Length)
        {
            if (_phase == Phase.Stopped)
            {
                consumed = data.Length;
                break;
            }

            if (_skip[side] > 0)
            {
                var skip = (int)Math.Min(_skip[side], data.Length - consumed);
                consumed += skip;
                _skip[side] -= skip;
                continue;
            }

            var rest = data[consumed..];
            if (_phase == Phase.Unsynced || (_phase == Phase.Greeting && client))
            {
                if (!client || !MySqlShape.LooksLikeCommand(rest))
                {
                    if (client && CouldBeCommandStart(rest))
                    {
                        break;
                    }

                    consumed = data.Length;
                    break;
                }

                Resynchronise();
            }

            if (!MySqlPacketHeader.TryRead(rest, out var header).IsParsed)
            {
                break;
            }

            var inspect = InspectLength(header, rest, client, side);
            if (rest.Length - MySqlPacketHeader.Size < inspect)
            {
                break;
            }

            var continuation = _continued[side];
            _continued[side] = header.IsContinued;
            var take = (int)Math.Min(header.PacketLength, rest.Length);
            _skip[side] = header.PacketLength - take;
            if (!continuation)
            {
                var payload = rest.Slice(MySqlPacketHeader.Size, inspect);
                var at = _streamOffset[side] + consumed;
                if (client)
                {
                    OnClientPacket(header, payload, timeNs, frame, at);
                }
                else
                {
                    OnServerPacket(header, payload, timeNs, frame, at);
                }
            }

            consumed += take;
        }

        _streamOffset[side] += consumed;
        return consumed;
    }

    public void OnGap(bool fromClient, long timeNs, long missingBytes, bool snapCut)
    {
        if (_phase != Phase.Stopped)
        {
            Unsynchronise();
        }
    }

    public void OnEnd(long timeNs)
    {
        if (_login is { } login)
        {
            Emit(login, MySqlOutcome.NoResponse, null, null, default, default);
            _login = null;
        }

        while (_pending.TryDequeue(out var command))
        {
            Emit(command, MySqlOutcome.NoResponse, null, null, default, default);
        }

        _phase = Phase.Stopped;
    }

    private int InspectLength(MySqlPacketHeader header, ReadOnlySpan<byte> rest, bool client, int side)
    {
        if (_continued[side] || header.PayloadLength == 0)
        {
            return 0;
        }

        if (client)
        {
            return Math.Min(header.PayloadLength, Math.Max(MaxInspectBytes, _options.MaxQueryBytes + 64));
        }

        if (_phase == Phase.Command && _expected == MySqlExpected.Rows)
        {
            // A row is skipped unseen; only a possible terminator (0xFE short of a continued packet, or ERR) is read.
            if (rest.Length <= MySqlPacketHeader.Size)
            {
                return 1;
            }

            var first = rest[MySqlPacketHeader.Size];
            var terminator = (first == EofPacket.Header && !header.IsContinued) || first == ErrPacket.Header;
            return terminator ? Math.Min(header.PayloadLength, MaxInspectBytes) : 0;
        }

        return Math.Min(header.PayloadLength, MaxInspectBytes);
    }

    private static bool CouldBeCommandStart(ReadOnlySpan<byte> rest) =>
        MySqlPacketHeader.TryRead(rest, out var header).IsParsed
        && header.SequenceId == 0
        && header.PayloadLength is > 0 and <= MaxInspectBytes
        && rest.Length < header.PacketLength
        && rest.Length > MySqlPacketHeader.Size
        && MySqlCommand.IsKnown(rest[MySqlPacketHeader.Size]);

    private void OnClientPacket(MySqlPacketHeader header, ReadOnlySpan<byte> payload, long timeNs, long frame, long at)
    {
        switch (_phase)
        {
            case Phase.LoginResponse:
                OnLoginResponse(header, payload, timeNs, frame, at);
                return;
            case Phase.AuthResult:
                return; // auth data answering a switch or more-data request
            case Phase.Command:
                break;
            default:
                return;
        }

        if (_pending.Count > 0 && _expected == MySqlExpected.InfileData)
        {
            if (header.PayloadLength == 0)
            {
                _expected = MySqlExpected.Response;
                _inResponse = false;
            }

            return;
        }

        if (header.SequenceId != 0)
        {
            if (_pending.Count > 0 && _pending.Peek().Command == MySqlCommand.ChangeUser)
            {
                return; // auth data of COM_CHANGE_USER
            }

            Report(WireError.MySqlPacketOutOfSequence, frame, at + 3, payload, 0, "client packet outside a command has a sequence id other than 0");
            Unsynchronise();
            return;
        }

        var result = CommandPacket.TryReadPayload(payload, header.PayloadLength, out var command);
        if (!result.IsParsed)
        {
            Report(result.IsMalformed ? result.Error : WireError.MySqlBadPacket, frame, at + MySqlPacketHeader.Size + result.Offset, payload, result.Offset, result.IsMalformed ? result.Message : "command packet shorter than its statement id");
            Unsynchronise();
            return;
        }

        var pending = new MySqlPendingCommand(command.Command, QueryOf(command, header.PayloadLength), command.StatementId, timeNs, frame, null);
        if (MySqlCommand.HasNoResponse(command.Command))
        {
            if (command.Command == MySqlCommand.StmtClose)
            {
                _statements?.Remove(command.StatementId);
            }

            Emit(pending, MySqlOutcome.Sent, null, null, default, default);
            return;
        }

        if (_pending.Count >= _options.MaxPendingPerConnection)
        {
            Emit(_pending.Dequeue(), MySqlOutcome.NoResponse, null, null, default, default);
            StartResponse();
        }

        _pending.Enqueue(pending);
        if (_pending.Count == 1)
        {
            StartResponse();
        }
    }

    private string? QueryOf(in CommandPacket command, int payloadLength)
    {
        ReadOnlySpan<byte> text;
        switch (command.Command)
        {
            case MySqlCommand.Query:
                text = command.QueryText(_queryAttributes);
                break;
            case MySqlCommand.StmtPrepare or MySqlCommand.InitDb or MySqlCommand.CreateDb or MySqlCommand.DropDb:
                text = command.Argument;
                break;
            case MySqlCommand.FieldList:
                text = command.TableName();
                break;
            case MySqlCommand.StmtExecute or MySqlCommand.StmtClose or MySqlCommand.StmtReset or MySqlCommand.StmtFetch or MySqlCommand.StmtSendLongData:
                return _statements?.GetValueOrDefault(command.StatementId);
            default:
                return null;
        }

        // The payload may have been read only in part: the text is cut if either limit is reached.
        var cut = text.Length > _options.MaxQueryBytes || 1 + command.Argument.Length < payloadLength;
        return _cache.GetStatement(TextCache.TrimToUtf8Boundary(text, _options.MaxQueryBytes), cut);
    }

    private void OnLoginResponse(MySqlPacketHeader header, ReadOnlySpan<byte> payload, long timeNs, long frame, long at)
    {
        if (SslRequestPacket.TryReadPayload(payload, out _).IsParsed)
        {
            // Reported once, as the login's outcome and as an evidence gap; TLS follows.
            Emit(new MySqlPendingCommand(MySqlCommand.Login, null, 0, timeNs, frame, null), MySqlOutcome.Encrypted, null, null, default, default);
            Report(WireError.MySqlEncrypted, frame, at, payload, 0, "client asked for TLS (SSLRequest): the commands cannot be read");
            _phase = Phase.Stopped;
            return;
        }

        var result = HandshakeResponse41Packet.TryReadPayload(payload, out var login);
        if (!result.IsParsed)
        {
            Report(result.Error, frame, at + MySqlPacketHeader.Size + result.Offset, payload, result.Offset, result.Message);
            Unsynchronise();
            return;
        }

        var both = login.Capabilities & _serverCapabilities;
        _deprecateEof = (both & MySqlCapabilities.DeprecateEof) != 0;
        _queryAttributes = (both & MySqlCapabilities.QueryAttributes) != 0;
        _compressed = (both & MySqlCapabilities.Compress) != 0;
        var database = login.Database.IsEmpty ? null : _cache.Get(login.Database);
        _login = new MySqlPendingCommand(MySqlCommand.Login, database, 0, timeNs, frame, _cache.Get(login.User));
        _phase = Phase.AuthResult;
    }

    private void OnServerPacket(MySqlPacketHeader header, ReadOnlySpan<byte> payload, long timeNs, long frame, long at)
    {
        var first = payload.IsEmpty ? (byte)0 : payload[0];
        switch (_phase)
        {
            case Phase.Greeting:
                OnGreeting(payload, timeNs, frame, at);
                return;
            case Phase.LoginResponse or Phase.AuthResult:
                OnAuthResult(payload, first, timeNs, frame, at);
                return;
            case Phase.Command:
                break;
            default:
                return;
        }

        if (_pending.Count == 0)
        {
            // Nothing was asked. MySQL 8.0.24+ sends ERR 4031 before closing an idle connection; others are unexpected.
            if (first != ErrPacket.Header)
            {
                Report(WireError.MySqlUnexpectedPacket, frame, at, payload, 0, "server packet with no command waiting");
            }

            return;
        }

        if (_inResponse && header.SequenceId != (byte)(_lastServerSequence + 1))
        {
            Report(WireError.MySqlPacketOutOfSequence, frame, at + 3, payload, 0, "server packet sequence id does not follow the previous one");
            Unsynchronise();
            return;
        }

        _inResponse = true;
        _lastServerSequence = header.SequenceId;
        if (_firstResponseNs == NoResponse)
        {
            _firstResponseNs = timeNs;
        }

        if (header.PayloadLength == 0)
        {
            Report(WireError.MySqlBadPacket, frame, at, payload, 0, "empty server packet in an answer");
            Unsynchronise();
            return;
        }

        OnAnswerPacket(header, payload, first, timeNs, frame, at);
        _lastAnswerNs = timeNs;
        _lastAnswerFrame = frame;
    }

    private void OnAnswerPacket(MySqlPacketHeader header, ReadOnlySpan<byte> payload, byte first, long timeNs, long frame, long at)
    {
        var isEof = EofPacket.IsEof(payload, header.PayloadLength);
        if (first == ErrPacket.Header && _expected != MySqlExpected.Statistics)
        {
            Complete(MySqlOutcome.Error, payload, timeNs, frame, at);
            return;
        }

        switch (_expected)
        {
            case MySqlExpected.Response:
                OnResponseStart(header, payload, first, isEof, timeNs, frame, at);
                return;
            case MySqlExpected.ColumnDefinitions:
                if (CheckColumnDefinition(payload, header, frame, at) && --_remaining == 0)
                {
                    _expected = _deprecateEof == true ? MySqlExpected.Rows : MySqlExpected.AfterColumns;
                }

                return;
            case MySqlExpected.AfterColumns:
                if (isEof)
                {
                    _deprecateEof = false;
                    var eof = EofPacket.TryReadPayload(payload, out var packet);
                    if (eof.IsParsed && (packet.Status & MySqlServerStatus.CursorExists) != 0)
                    {
                        Complete(MySqlOutcome.ResultSet, default, timeNs, frame, at);
                        return;
                    }

                    _expected = MySqlExpected.Rows;
                    return;
                }

                _deprecateEof = true;
                _expected = MySqlExpected.Rows;
                OnAnswerPacket(header, payload, first, timeNs, frame, at);
                return;
            case MySqlExpected.Rows:
                if (payload.IsEmpty || first != EofPacket.Header)
                {
                    _rows++;
                    return;
                }

                EndOfResultSet(payload, isEof, timeNs, frame, at);
                return;
            case MySqlExpected.PrepareParameters:
                if (CheckColumnDefinition(payload, header, frame, at) && --_remaining == 0)
                {
                    _expected = _deprecateEof == true ? NextPrepareSection(timeNs, frame) : MySqlExpected.AfterPrepareParameters;
                }

                return;
            case MySqlExpected.AfterPrepareParameters:
                // Without an EOF the prepare answer ended with the previous packet.
                _expected = isEof ? NextPrepareSection(timeNs, frame) : NextPrepareSection(_lastAnswerNs, _lastAnswerFrame);
                OnListEnd(header, payload, first, isEof, timeNs, frame, at);
                return;
            case MySqlExpected.PrepareColumns:
                if (CheckColumnDefinition(payload, header, frame, at) && --_remaining == 0)
                {
                    if (_deprecateEof == true)
                    {
                        CompletePrepare(timeNs, frame);
                    }
                    else
                    {
                        _expected = MySqlExpected.AfterPrepareColumns;
                    }
                }

                return;
            case MySqlExpected.AfterPrepareColumns:
                CompletePrepare(isEof ? timeNs : _lastAnswerNs, isEof ? frame : _lastAnswerFrame);
                OnListEnd(header, payload, first, isEof, timeNs, frame, at);
                return;
            case MySqlExpected.FieldList:
                if (first == EofPacket.Header && !header.IsContinued)
                {
                    Complete(MySqlOutcome.Ok, default, timeNs, frame, at);
                }
                else
                {
                    CheckColumnDefinition(payload, header, frame, at);
                }

                return;
            case MySqlExpected.Statistics:
                Complete(MySqlOutcome.Ok, default, timeNs, frame, at);
                return;
            case MySqlExpected.Authentication:
                if (first == OkPacket.Header)
                {
                    Complete(MySqlOutcome.Ok, default, timeNs, frame, at);
                }

                return; // auth switch or more data: the client answers, then the server again
            case MySqlExpected.BinlogStream:
                Complete(MySqlOutcome.Ok, default, timeNs, frame, at);
                _phase = Phase.Stopped;
                return;
            default:
                Report(WireError.MySqlUnexpectedPacket, frame, at, payload, 0, "server packet while the client sends a LOCAL INFILE file");
                Unsynchronise();
                return;
        }
    }

    private void OnResponseStart(MySqlPacketHeader header, ReadOnlySpan<byte> payload, byte first, bool isEof, long timeNs, long frame, long at)
    {
        var command = _pending.Peek().Command;
        switch (first)
        {
            case OkPacket.Header when command == MySqlCommand.StmtPrepare:
                var prepare = StmtPrepareOkPacket.TryReadPayload(payload, out var prepared);
                if (!prepare.IsParsed)
                {
                    Report(prepare.Error, frame, at + MySqlPacketHeader.Size + prepare.Offset, payload, prepare.Offset, prepare.Message);
                    Unsynchronise();
                    return;
                }

                _preparedId = prepared.StatementId;
                _remaining = prepared.ParameterCount;
                _prepareColumns = prepared.ColumnCount;
                _expected = _remaining > 0 ? MySqlExpected.PrepareParameters : NextPrepareSection(timeNs, frame);
                return;
            case OkPacket.Header:
            case EofPacket.Header when !isEof:
                var ok = OkPacket.TryReadPayload(payload, out var okPacket);
                if (!ok.IsParsed)
                {
                    Report(ok.Error, frame, at + MySqlPacketHeader.Size + ok.Offset, payload, ok.Offset, ok.Message);
                    Unsynchronise();
                    return;
                }

                EndOfResult(okPacket.Status, timeNs, frame, at);
                return;
            case EofPacket.Header:
                // COM_SET_OPTION and COM_DEBUG answer with an EOF.
                Complete(MySqlOutcome.Ok, default, timeNs, frame, at);
                return;
            case LocalInfileRequestPacket.Header:
                _expected = MySqlExpected.InfileData;
                _inResponse = false;
                return;
        }

        var count = ColumnCountPacket.TryReadPayload(payload, out var columns);
        if (!count.IsParsed || header.PayloadLength != payload.Length)
        {
            Report(WireError.MySqlUnexpectedPacket, frame, at + MySqlPacketHeader.Size, payload, 0, "answer is not OK, ERR, EOF or a result set");
            Unsynchronise();
            return;
        }

        _sawResultSet = true;
        _remaining = columns.ColumnCount;
        _expected = columns.MetadataFollows ? MySqlExpected.ColumnDefinitions : MySqlExpected.AfterColumns;
    }

    /// <summary>A packet after a definition list under unknown EOF rules: an EOF ends the list, anything else is the next part.</summary>
    private void OnListEnd(MySqlPacketHeader header, ReadOnlySpan<byte> payload, byte first, bool isEof, long timeNs, long frame, long at)
    {
        if (isEof)
        {
            _deprecateEof = false;
            return;
        }

        _deprecateEof = true;
        if (_pending.Count > 0 && _phase == Phase.Command)
        {
            OnAnswerPacket(header, payload, first, timeNs, frame, at);
        }
    }

    private MySqlExpected NextPrepareSection(long timeNs, long frame)
    {
        if (_prepareColumns > 0)
        {
            _remaining = _prepareColumns;
            _prepareColumns = 0;
            return MySqlExpected.PrepareColumns;
        }

        CompletePrepare(timeNs, frame);
        return _expected;
    }

    private void CompletePrepare(long timeNs, long frame)
    {
        var head = _pending.Peek();
        (_statements ??= [])[_preparedId] = head.Query;
        Complete(MySqlOutcome.Ok, default, timeNs, frame, 0);
    }

    private void EndOfResultSet(ReadOnlySpan<byte> payload, bool isEof, long timeNs, long frame, long at)
    {
        ushort status;
        if (isEof)
        {
            EofPacket.TryReadPayload(payload, out var eof);
            status = eof.Status;
        }
        else
        {
            OkPacket.TryReadPayload(payload, out var ok);
            status = ok.Status;
        }

        EndOfResult(status, timeNs, frame, at);
    }

    private void EndOfResult(ushort status, long timeNs, long frame, long at)
    {
        if ((status & MySqlServerStatus.MoreResultsExist) != 0)
        {
            // Multi-statement or CALL: another result follows in the same answer.
            _expected = MySqlExpected.Response;
            return;
        }

        Complete(_sawResultSet ? MySqlOutcome.ResultSet : MySqlOutcome.Ok, default, timeNs, frame, at);
    }

    private bool CheckColumnDefinition(ReadOnlySpan<byte> payload, MySqlPacketHeader header, long frame, long at)
    {
        if (header.PayloadLength != payload.Length)
        {
            return true; // longer than inspected: counted, not checked
        }

        var result = ColumnDefinition41Packet.TryReadPayload(payload, out _);
        if (result.IsParsed)
        {
            return true;
        }

        Report(result.Error, frame, at + MySqlPacketHeader.Size + result.Offset, payload, result.Offset, result.Message);
        Unsynchronise();
        return false;
    }

    private void OnGreeting(ReadOnlySpan<byte> payload, long timeNs, long frame, long at)
    {
        if (!payload.IsEmpty && payload[0] == ErrPacket.Header)
        {
            // Refused before the handshake (1040 Too many connections, 1130 Host not allowed).
            _login = new MySqlPendingCommand(MySqlCommand.Login, null, 0, timeNs, frame, null);
            OnAuthResult(payload, ErrPacket.Header, timeNs, frame, at);
            return;
        }

        var result = HandshakeV10Packet.TryReadPayload(payload, out var greeting);
        if (!result.IsParsed)
        {
            Report(result.Error, frame, at + MySqlPacketHeader.Size + result.Offset, payload, result.Offset, result.Message);
            Unsynchronise();
            return;
        }

        _serverCapabilities = greeting.Capabilities;
        _serverVersion = _cache.Get(greeting.ServerVersion);
        _phase = Phase.LoginResponse;
    }

    private void OnAuthResult(ReadOnlySpan<byte> payload, byte first, long timeNs, long frame, long at)
    {
        switch (first)
        {
            case OkPacket.Header:
                if (_login is { } login)
                {
                    Emit(login, MySqlOutcome.Ok, timeNs, frame, default, default);
                    _login = null;
                }

                if (_compressed)
                {
                    Report(WireError.MySqlUnexpectedPacket, frame, at, payload, 0, "compressed protocol negotiated: commands are not read");
                    _phase = Phase.Stopped;
                    return;
                }

                _phase = Phase.Command;
                _expected = MySqlExpected.Response;
                _inResponse = false;
                return;
            case ErrPacket.Header:
                var login2 = _login ?? new MySqlPendingCommand(MySqlCommand.Login, null, 0, timeNs, frame, null);
                ErrPacket.TryReadPayload(payload, out var error);
                Emit(login2, MySqlOutcome.Error, timeNs, frame, error.ErrorCode, payload, error.SqlState, error.Message);
                _login = null;
                _phase = Phase.Stopped;
                return;
            case AuthSwitchRequestPacket.Header or AuthMoreDataPacket.Header:
                return;
            default:
                Report(WireError.MySqlUnexpectedPacket, frame, at, payload, 0, "login answered with neither OK, ERR, auth switch nor more data");
                Unsynchronise();
                return;
        }
    }

    private void StartResponse()
    {
        _inResponse = false;
        _firstResponseNs = NoResponse;
        _rows = 0;
        _sawResultSet = false;
        _expected = _pending.Count == 0
            ? MySqlExpected.Response
            : _pending.Peek().Command switch
            {
                MySqlCommand.FieldList => MySqlExpected.FieldList,
                MySqlCommand.StmtFetch => MySqlExpected.Rows,
                MySqlCommand.Statistics => MySqlExpected.Statistics,
                MySqlCommand.ChangeUser => MySqlExpected.Authentication,
                MySqlCommand.BinlogDump or MySqlCommand.BinlogDumpGtid => MySqlExpected.BinlogStream,
                _ => MySqlExpected.Response,
            };
    }

    private void Complete(MySqlOutcome outcome, ReadOnlySpan<byte> errorPayload, long timeNs, long frame, long at)
    {
        var command = _pending.Dequeue();
        if (outcome == MySqlOutcome.Error)
        {
            ErrPacket.TryReadPayload(errorPayload, out var error);
            Emit(command, outcome, timeNs, frame, error.ErrorCode, errorPayload, error.SqlState, error.Message);
        }
        else
        {
            Emit(command, outcome, timeNs, frame, default, default);
        }

        StartResponse();
    }

    private void Emit(in MySqlPendingCommand command, MySqlOutcome outcome, long? responseNs, long? responseFrame, ushort? errorCode, ReadOnlySpan<byte> errorPayload, ReadOnlySpan<byte> sqlState = default, ReadOnlySpan<byte> message = default)
    {
        var isLogin = command.Command == MySqlCommand.Login;
        var hasError = outcome == MySqlOutcome.Error && !errorPayload.IsEmpty;
        var extras = hasError || isLogin
            ? MySqlTransactionExtras.Of(
                hasError ? errorCode : null,
                hasError ? _cache.Get(TextCache.TrimToUtf8Boundary(message, MaxErrorMessageBytes), message.Length > MaxErrorMessageBytes) : null,
                hasError && !sqlState.IsEmpty ? _cache.Get(sqlState) : null,
                command.User,
                isLogin ? _serverVersion : null)
            : null;
        _endpoints ??= _swapped
            ? new TransactionEndpoints(_context.Server, _context.Client, _context.File)
            : new TransactionEndpoints(_context.Client, _context.Server, _context.File);
        _context.Sink.OnMySql(new MySqlTransaction(
            _endpoints,
            command.TimeNs,
            command.Command,
            MySqlCommand.Name(command.Command),
            command.Query,
            responseNs,
            outcome,
            command.Frame,
            responseFrame,
            isLogin ? responseNs : responseNs is null || _firstResponseNs == NoResponse ? null : _firstResponseNs,
            isLogin ? 0 : _rows,
            extras));
    }

    private void Resynchronise()
    {
        _phase = Phase.Command;
        _pending.Clear();
        StartResponse();
    }

    private void Unsynchronise()
    {
        _phase = Phase.Unsynced;
        _pending.Clear();
        _login = null;
        _skip[0] = _skip[1] = 0;
        _continued[0] = _continued[1] = false;
        StartResponse();
    }

    private void Report(WireError reason, long frame, long streamOffset, ReadOnlySpan<byte> bytes, int offset, string message) =>
        ProtocolDiagnostics.Report(_context.Sink, reason, _context.File, frame, _context.FlowName, streamOffset - offset, bytes, offset, message);
}
