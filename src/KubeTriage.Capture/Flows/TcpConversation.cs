using KubeTriage.Capture.Packets;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// One TCP connection: handshake and outcome, counters per direction, retransmissions, copies seen on
/// a second interface, server wait per request/response turn, and the byte stream handed in order to
/// the application dissector (<see cref="TcpStreamFeeder"/>). Instances are pooled and reused.
/// </summary>
internal sealed class TcpConversation : FlowState
{
    /// <summary>A server that speaks first and takes this long after its SYN-ACK to do it has its greeting kept (<see cref="TcpConnectionExtras.GreetingDelayNs"/>).</summary>
    public const long SlowGreetingNs = 500_000_000;

    public TcpHalf HalfA;
    public TcpHalf HalfB;
    public bool ClientIsA;
    public string File = string.Empty;

    private TcpStreamFeeder? _stream;
    private TcpHandshake _handshake;
    private int _resets;
    private long _lastClientDataTime;
    private bool _awaitingServer;
    private long _serverWait;
    private int _serverTurns;
    private bool _turnOpen;
    private bool _turnAnswered;
    private long _turnStartNs;
    private long _turnLastServerNs;
    private InterfaceSet _interfaces;
    private long _lastDataNs;
    private long _requestNs;
    private long _requestFrame;
    private long _idleBeforeRequestNs;
    private bool _requestIsTlsClose;
    private bool _serverFinSeen;
    private bool _serverFinFirst;
    private bool _gaveUp;
    private bool _gaveUpByReset;
    private long _gaveUpNs;
    private long _gaveUpFrame;
    private long _gaveUpRequestNs;
    private long _gaveUpRequestFrame;
    private bool _greetingSeen;
    private long _greetingNs;
    private long _greetingFrame;
    private long _serverFinNs;
    private long _serverFinFrame;
    private bool _resetSeen;
    private long _resetNs;
    private long _resetFrame;
    private bool _resetByServer;
    private bool _resetUnanswered;
    private bool _resetAfterServerFin;

    public ref TcpHalf ClientHalf => ref Half(ClientIsA);

    public ref TcpHalf ServerHalf => ref Half(!ClientIsA);

    public WireEndpoint Client => ClientIsA ? Key.EndA : Key.EndB;

    public WireEndpoint Server => ClientIsA ? Key.EndB : Key.EndA;

    public string FlowName => $"{Client} > {Server}";

    /// <summary>Starts tracking; the client is the SYN's sender, the SYN-ACK's receiver, or else the higher port.</summary>
    public void Start(in FlowKey key, in DecodedPacket packet, bool fromA, long timeNs, long frame, string file)
    {
        Key = key;
        FirstTimeNs = timeNs;
        LastTimeNs = timeNs;
        FirstFrame = frame;
        File = file;
        bool syn = (packet.Flags & TcpFlags.Syn) != 0;
        bool ack = (packet.Flags & TcpFlags.Ack) != 0;
        ClientIsA = syn ? (ack ? !fromA : fromA) : key.PortA > key.PortB || (key.PortA == key.PortB && fromA);
    }

    /// <summary>A new SYN on a finished or answered connection with another initial sequence is a new connection (port reuse).</summary>
    public bool IsNewConnection(in DecodedPacket packet, bool fromA)
    {
        if ((packet.Flags & (TcpFlags.Syn | TcpFlags.Ack)) != TcpFlags.Syn)
        {
            return false;
        }

        ref var sender = ref Half(fromA);
        if (Closed)
        {
            return !sender.SynSeen || packet.Sequence != sender.InitialSequence;
        }

        return sender.SynSeen
            ? packet.Sequence != sender.InitialSequence && (_handshake.SynAckSeen || _handshake.Refused)
            : sender.Packets > 0 || Half(!fromA).Packets > 0;
    }

    /// <summary>Accounts one segment and feeds its payload; returns true when the connection is now closed.</summary>
    public bool OnSegment(FlowContext context, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromA, long timeNs, long frame, int interfaceId)
    {
        ref var sender = ref Half(fromA);
        ref var receiver = ref Half(!fromA);
        bool fromClient = fromA == ClientIsA;
        var flags = packet.Flags;
        int length = packet.PayloadLength;
        if (timeNs > LastTimeNs)
        {
            LastTimeNs = timeNs;
        }

        _interfaces.Add(interfaceId);
        ulong signature = ((ulong)packet.Sequence << 32) | packet.Acknowledgment;
        if (context.MayHaveCopies && sender.CopyFilter.IsCopy(signature, ((uint)length << 8) | (byte)flags, interfaceId, timeNs, context.DuplicateWindowNs))
        {
            sender.Copies++;
            return Closed;
        }

        if (length > 0 && context.MayHaveCopies && sender.IsLateCopy(packet.Sequence + (uint)length, interfaceId))
        {
            // Bytes another interface already carried, arriving after the filter above forgot them (a live capture
            // hands each interface's packets over in batches): a copy, not data sent again.
            sender.Copies++;
            return Closed;
        }

        sender.Packets++;
        if ((flags & TcpFlags.Ack) != 0)
        {
            receiver.Stall.OnAcknowledgment(packet.Acknowledgment);
        }

        // A SYN's or RST's window says nothing about reading; a FIN with a zero window is not counted as one,
        // but a FIN with an open window ends a stall like any other segment.
        if ((flags & (TcpFlags.Syn | TcpFlags.Rst)) == 0 && (packet.Window != 0 || (flags & TcpFlags.Fin) == 0))
        {
            sender.ZeroWindow.OnWindow(packet.Window, timeNs, frame);
        }

        if ((flags & TcpFlags.Rst) != 0)
        {
            if (fromClient)
            {
                NoteClientGaveUp(reset: true, timeNs, frame);
            }

            _resets++;
            if (!_resetSeen)
            {
                OnFirstReset(fromClient, timeNs, frame);
            }

            sender.ZeroWindow.EndUnresolved(timeNs);
            receiver.ZeroWindow.EndUnresolved(timeNs);
            if (!fromClient)
            {
                _handshake.OnServerReset(ClientHalf.SynSeen, ServerHalf.Bytes);
            }

            Closed = true;
        }

        bool syn = (flags & TcpFlags.Syn) != 0;
        if (syn)
        {
            _handshake.OnSyn(ref sender, ref receiver, (flags & TcpFlags.Ack) != 0, packet.Sequence, timeNs, context.Options.MaxSynTimes);
        }

        uint start = syn ? packet.Sequence + 1 : packet.Sequence;
        if (!sender.SequenceKnown)
        {
            sender.SequenceKnown = true;
            sender.HighestEnd = start;
        }

        if (receiver.ZeroWindow.Stalled && IsWindowProbe(ref sender, flags, start, length))
        {
            receiver.ZeroWindow.OnProbe();
            if (length > 0)
            {
                // The probe's byte is not a retransmission, and the next real segment starts at the same sequence
                // (the highest end stays put). A byte at the next sequence is the stream's own: the dissector gets it
                // once, in case the peer took it; the byte before it is a keep-alive's filler and is not delivered.
                sender.Bytes += length;
                sender.DataSegments++;
                if (start == sender.HighestEnd)
                {
                    Feed(context, ref sender, fromClient, start, payload, length, timeNs, frame);
                }
            }
        }
        else if (length > 0)
        {
            OnData(context, ref sender, fromClient, start, payload, length, timeNs, frame, interfaceId);
        }

        if ((flags & TcpFlags.Fin) != 0)
        {
            if (fromClient)
            {
                NoteClientGaveUp(reset: false, timeNs, frame);
            }

            uint finSequence = start + (uint)length;
            if (sender.FinSeen && length == 0 && finSequence == sender.FinSequence)
            {
                // A FIN sent again is the close, not data the app waits for: counted as a retransmission only.
                sender.Retransmissions++;
            }

            if (!fromClient && !_serverFinSeen)
            {
                _serverFinSeen = true;
                _serverFinFirst = !receiver.FinSeen;
                _serverFinNs = timeNs;
                _serverFinFrame = frame;
            }

            sender.FinSeen = true;
            sender.FinSequence = finSequence;
            Closed |= receiver.FinSeen;
        }

        if (Closed && _stream is not null)
        {
            // Both FINs or a reset: the dissector reports what is unanswered and lets go of its state now,
            // not when the closed connection expires from the table (TcpClosedTimeout) later.
            _stream.End(context, this, timeNs);
        }

        return Closed;
    }

    /// <summary>Ends the connection: flushes the dissector and builds the record.</summary>
    public TcpConnection Finish(FlowContext context)
    {
        _stream?.End(context, this, LastTimeNs);
        if (_turnAnswered)
        {
            EndTurn(context);
        }

        ref var client = ref ClientHalf;
        ref var server = ref ServerHalf;
        client.ZeroWindow.EndUnresolved(LastTimeNs);
        server.ZeroWindow.EndUnresolved(LastTimeNs);
        var clientZeroWindow = client.ZeroWindow.ToRecord();
        var serverZeroWindow = server.ZeroWindow.ToRecord();
        return new TcpConnection(Client, Server, _handshake.Outcome(client.SynSeen, server.Bytes), FirstTimeNs, LastTimeNs, FirstFrame,
            _handshake.SynAttempts, _handshake.SynTimes(), _handshake.RttNs, client.Packets, server.Packets, client.Bytes, server.Bytes,
            client.Retransmissions + server.Retransmissions, _resets, HalfA.FinSeen && HalfB.FinSeen, _serverWait,
            _stream?.Protocol, _interfaces.ToList())
        {
            DuplicatesOnOtherInterface = client.Copies + server.Copies,
            ClientInitialSequence = client.SynSeen ? client.InitialSequence : null,
            Gaps = _stream?.Gaps ?? 0,
            ServerTurns = _serverTurns,
            ZeroWindowSegments = clientZeroWindow.Segments + serverZeroWindow.Segments,
            DataSegmentsToServer = client.DataSegments,
            DataSegmentsToClient = server.DataSegments,
            Extras = Extras(ref client, ref server, clientZeroWindow, serverZeroWindow),
            File = File,
        };
    }

    /// <summary>
    /// Data sent again, zero windows, the first reset, a SYN sent again before the handshake completed and a server that
    /// closed first without a byte; or the shared empty instance when the connection had none of these.
    /// </summary>
    private TcpConnectionExtras Extras(ref TcpHalf client, ref TcpHalf server, TcpZeroWindow clientZeroWindow, TcpZeroWindow serverZeroWindow)
    {
        bool synRetried = _handshake.SynAckSeen && _handshake.SynAttempts > 1;
        bool closedSilently = _serverFinSeen && _serverFinFirst && server.Bytes == 0 && client.Bytes > 0;
        bool slowGreeting = _greetingNs != 0 && _handshake.SynAckSeen && _greetingNs - _handshake.SynAckNs >= SlowGreetingNs;
        if (client.DataRetransmissions + server.DataRetransmissions == 0 && clientZeroWindow.Segments + serverZeroWindow.Segments == 0 && !_resetSeen
            && !synRetried && !closedSilently && !slowGreeting && !_gaveUp)
        {
            return TcpConnectionExtras.None;
        }

        return new TcpConnectionExtras
        {
            ClientZeroWindow = clientZeroWindow,
            ServerZeroWindow = serverZeroWindow,
            DataRetransmissionsToServer = client.DataRetransmissions,
            DataRetransmissionsToClient = server.DataRetransmissions,
            StalledToServer = client.Stall.ToRecord(),
            StalledToClient = server.Stall.ToRecord(),
            FirstDataRetransmissionNs = FirstRetransmission(client, server, out var retransmissionFrame),
            FirstDataRetransmissionFrame = retransmissionFrame,
            LastDataRetransmissionNs = client.DataRetransmissions + server.DataRetransmissions == 0 ? null
                : Math.Max(client.LastDataRetransmissionNs, server.LastDataRetransmissionNs),
            SynAckNs = synRetried ? _handshake.SynAckNs : null,
            GreetingDelayNs = slowGreeting ? _greetingNs - _handshake.SynAckNs : null,
            ClientGaveUpNs = _gaveUp ? _gaveUpNs : null,
            ClientGaveUpFrame = _gaveUp ? _gaveUpFrame : 0,
            ClientGaveUpByReset = _gaveUp && _gaveUpByReset,
            AbandonedRequestNs = _gaveUp ? _gaveUpRequestNs : null,
            AbandonedRequestFrame = _gaveUp ? _gaveUpRequestFrame : 0,
            GreetingNs = slowGreeting ? _greetingNs : null,
            GreetingFrame = slowGreeting ? _greetingFrame : 0,
            FirstResetNs = _resetSeen ? _resetNs : null,
            FirstResetFrame = _resetSeen ? _resetFrame : 0,
            FirstResetByServer = _resetSeen && _resetByServer,
            ResetWithRequestOutstanding = _resetSeen && _resetUnanswered,
            ServerClosedBeforeReset = _resetSeen && _resetAfterServerFin,
            OutstandingRequestNs = _resetSeen && _resetUnanswered ? _requestNs : null,
            OutstandingRequestFrame = _resetSeen && _resetUnanswered ? _requestFrame : 0,
            IdleBeforeRequestNs = _resetSeen && _resetUnanswered ? _idleBeforeRequestNs : null,
            ServerFinNs = (_resetSeen || closedSilently) && _serverFinSeen ? _serverFinNs : null,
            ServerFinFrame = (_resetSeen || closedSilently) && _serverFinSeen ? _serverFinFrame : 0,
            ServerClosedFirst = _serverFinSeen && _serverFinFirst,
        };
    }

    /// <summary>The time and frame of the first data segment either direction sent again, or null.</summary>
    private static long? FirstRetransmission(in TcpHalf client, in TcpHalf server, out long frame)
    {
        frame = 0;
        bool fromClient = client.DataRetransmissions > 0
            && (server.DataRetransmissions == 0 || client.FirstDataRetransmissionNs <= server.FirstDataRetransmissionNs);
        if (!fromClient && server.DataRetransmissions == 0)
        {
            return null;
        }

        ref readonly var first = ref fromClient ? ref client : ref server;
        frame = first.FirstDataRetransmissionFrame;
        return first.FirstDataRetransmissionNs;
    }

    /// <summary>Returns the buffers and clears every field so the instance can serve another connection.</summary>
    public void Reset()
    {
        HalfA.Reset();
        HalfB.Reset();
        _stream?.Reset();
        Closed = false;
        File = string.Empty;
        _handshake.Reset();
        _resets = 0;
        _lastClientDataTime = 0;
        _awaitingServer = false;
        _serverWait = 0;
        _serverTurns = 0;
        _turnOpen = false;
        _turnAnswered = false;
        _interfaces.Clear();
        _lastDataNs = 0;
        _requestNs = 0;
        _requestFrame = 0;
        _idleBeforeRequestNs = 0;
        _requestIsTlsClose = false;
        _serverFinSeen = false;
        _serverFinFirst = false;
        _gaveUp = false;
        _gaveUpByReset = false;
        _gaveUpNs = 0;
        _gaveUpFrame = 0;
        _gaveUpRequestNs = 0;
        _gaveUpRequestFrame = 0;
        _greetingSeen = false;
        _greetingNs = 0;
        _greetingFrame = 0;
        _serverFinNs = 0;
        _serverFinFrame = 0;
        _resetSeen = false;
        _resetNs = 0;
        _resetFrame = 0;
        _resetByServer = false;
        _resetUnanswered = false;
        _resetAfterServerFin = false;
    }

    /// <summary>One direction by end: A (the lower address) or B.</summary>
    public ref TcpHalf Half(bool a)
    {
        if (a)
        {
            return ref HalfA;
        }

        return ref HalfB;
    }

    private void OnData(FlowContext context, ref TcpHalf sender, bool fromClient, uint start, ReadOnlySpan<byte> payload, int length, long timeNs, long frame, int interfaceId)
    {
        sender.Bytes += length;
        sender.DataSegments++;
        Turn(context, fromClient, timeNs);
        uint end = start + (uint)length;
        if (SequenceNumber.AtOrBefore(end, sender.HighestEnd))
        {
            sender.OnDataRetransmission(start, length, timeNs, frame);
        }
        else
        {
            if (SequenceNumber.Before(start, sender.HighestEnd))
            {
                sender.OnDataRetransmission(start, length, timeNs, frame);
            }

            sender.HighestEnd = end;
            sender.AdvancedOnPlusOne = interfaceId + 1;
            sender.Stall.OnNewData(end, length);
            if (!fromClient && !_greetingSeen)
            {
                // The server's first data; a greeting when the client had sent none (MySQL, SMTP, SSH speak first).
                _greetingSeen = true;
                _greetingNs = ClientHalf.Bytes == 0 ? timeNs : 0;
                _greetingFrame = frame;
            }

            NoteRequest(fromClient, payload, length, timeNs, frame);
            CountTurn(fromClient, timeNs);
        }

        Feed(context, ref sender, fromClient, start, payload, length, timeNs, frame);
    }

    private void Feed(FlowContext context, ref TcpHalf sender, bool fromClient, uint start, ReadOnlySpan<byte> payload, int length, long timeNs, long frame)
    {
        if (context.Dissecting)
        {
            (_stream ??= new TcpStreamFeeder()).OnPayload(context, this, ref sender, fromClient, start, payload, length, timeNs, frame);
        }
    }

    /// <summary>
    /// A segment that probes the peer's zero window (RFC 9293 3.8.6.1): Linux sends no data at the last byte the
    /// peer acknowledged, minus one; other stacks send the next byte alone, again and again. tshark calls the first
    /// a keep-alive and the second a ZeroWindowProbe; neither is a retransmission.
    /// </summary>
    private static bool IsWindowProbe(ref TcpHalf sender, TcpFlags flags, uint start, int length)
    {
        if (!sender.SequenceKnown || length > 1 || (flags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst)) != 0)
        {
            return false;
        }

        return length == 0 ? start == sender.HighestEnd - 1 : start == sender.HighestEnd || start == sender.HighestEnd - 1;
    }

    /// <summary>Whole turns (<see cref="TcpTurn"/>): client data after server data ends the turn before it.</summary>
    private void Turn(FlowContext context, bool fromClient, long timeNs)
    {
        if (fromClient)
        {
            if (_turnAnswered)
            {
                EndTurn(context);
            }

            if (!_turnOpen)
            {
                _turnOpen = true;
                _turnStartNs = timeNs;
            }
        }
        else if (_turnOpen && (!_turnAnswered || timeNs > _turnLastServerNs))
        {
            _turnAnswered = true;
            _turnLastServerNs = timeNs;
        }
    }

    private void EndTurn(FlowContext context)
    {
        context.Sink.OnTcpTurn(new TcpTurn(Client, Server, _turnStartNs, _turnLastServerNs));
        _turnOpen = false;
        _turnAnswered = false;
    }

    /// <summary>
    /// The first reset: who sent it, and whether the client's data was still unanswered then (the client had sent
    /// new data after the server's last data), and whether the server had closed its half with a FIN before.
    /// A TLS close alert the client sends last is the client closing, not a request waiting for an answer.
    /// </summary>
    private void OnFirstReset(bool fromClient, long timeNs, long frame)
    {
        _resetSeen = true;
        _resetNs = timeNs;
        _resetFrame = frame;
        _resetByServer = !fromClient;
        _resetUnanswered = _awaitingServer && !_requestIsTlsClose;
        _resetAfterServerFin = _serverFinSeen;
    }

    /// <summary>
    /// Remembers where the client's unanswered data began (its first new segment after the server's last data) and
    /// how long the connection had carried no data before it; then moves the last data time on.
    /// </summary>
    private void NoteRequest(bool fromClient, ReadOnlySpan<byte> payload, int length, long timeNs, long frame)
    {
        if (fromClient)
        {
            if (!_awaitingServer)
            {
                _requestNs = timeNs;
                _requestFrame = frame;
                _idleBeforeRequestNs = timeNs - (_lastDataNs != 0 ? _lastDataNs : FirstTimeNs);
                _requestIsTlsClose = IsTlsCloseAlert(payload, length);
            }
            else
            {
                _requestIsTlsClose = false;
            }
        }

        _lastDataNs = timeNs;
    }

    /// <summary>
    /// One short TLS record filling the segment: an alert (type 21, TLS 1.2 and before), or under TLS 1.3 an
    /// application-data record of 24 bytes, the size of an encrypted alert (2 bytes, the inner type, a 16-byte tag).
    /// </summary>
    private static bool IsTlsCloseAlert(ReadOnlySpan<byte> payload, int length)
    {
        if (payload.Length < 5 || payload.Length != length || payload[1] != 3)
        {
            return false;
        }

        int record = (payload[3] << 8) | payload[4];
        return record + 5 == length && ((payload[0] == 21 && record <= 64) || (payload[0] == 23 && record == 19));
    }

    /// <summary>Server wait: from the client's last new data byte to the server's first new data byte after it.</summary>
    private void CountTurn(bool fromClient, long timeNs)
    {
        if (fromClient)
        {
            _lastClientDataTime = timeNs;
            _awaitingServer = true;
        }
        else if (_awaitingServer)
        {
            _serverWait += Math.Max(0, timeNs - _lastClientDataTime);
            _serverTurns++;
            _awaitingServer = false;
            if (_gaveUp && !_gaveUpByReset)
            {
                // The client only shut down its sending half; the answer came after all.
                _gaveUp = false;
            }
        }
    }

    /// <summary>
    /// The client closed (FIN) or reset the connection while its request waited for an answer, a second or more after it:
    /// it gave up waiting (its timeout), unless the answer still comes after a FIN. The first time only; a TLS close alert
    /// is not a request, and a close right after the request (a MySQL COM_QUIT, a half-close) is not giving up.
    /// </summary>
    private void NoteClientGaveUp(bool reset, long timeNs, long frame)
    {
        if (_gaveUp || !_awaitingServer || _requestIsTlsClose || timeNs - _requestNs < TcpConnectionExtras.MinAbandonedWaitNs)
        {
            return;
        }

        _gaveUp = true;
        _gaveUpByReset = reset;
        _gaveUpNs = timeNs;
        _gaveUpFrame = frame;
        _gaveUpRequestNs = _requestNs;
        _gaveUpRequestFrame = _requestFrame;
    }
}
