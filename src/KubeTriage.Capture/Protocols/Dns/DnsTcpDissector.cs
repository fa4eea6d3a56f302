using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// DNS over TCP on one connection: length-prefixed messages, several queries in one segment, answers
/// in any order (RFC 7766 §6.2.1.1), matched by id and question. Whichever side sends QR=0 is the client.
/// A direction that starts mid-stream or after a gap is resynchronised on the first segment that begins
/// with a whole, well-formed message; until then its bytes are skipped.
/// </summary>
internal sealed class DnsTcpDissector : ITcpStreamDissector
{
    private readonly TcpStreamContext _context;
    private readonly ProtocolOptions _options;
    private readonly DnsTransactionBuilder _builder;
    private readonly List<PendingQuery> _pending = [];
    private readonly bool[] _synced = new bool[2];
    private readonly long[] _streamOffset = new long[2];

    public DnsTcpDissector(TcpStreamContext context, ProtocolOptions options, TextCache cache)
    {
        _context = context;
        _options = options;
        _builder = new DnsTransactionBuilder(cache);
        _synced[0] = _synced[1] = !context.MidStream;
    }

    public string Protocol => "dns";

    public int OnData(ReadOnlySpan<byte> data, bool fromClient, long timeNs, long frame)
    {
        var side = fromClient ? 0 : 1;
        var consumed = 0;
        while (consumed < data.Length)
        {
            var rest = data[consumed..];
            var framing = DnsTcpLengthPrefix.TryRead(rest, out var prefixed);
            if (framing.IsNeedMore && _synced[side])
            {
                break;
            }

            if (!framing.IsParsed)
            {
                if (_synced[side])
                {
                    ProtocolDiagnostics.Report(_context.Sink, framing, _context.File, frame, _context.FlowName, _streamOffset[side] + consumed, rest);
                }

                // Framing is lost: drop what is here and look for a message start in the next segment.
                _synced[side] = false;
                consumed = data.Length;
                break;
            }

            var result = DnsMessage.TryRead(prefixed.Message, out var message);
            if (!_synced[side])
            {
                if (!result.IsParsed || message.Header.QuestionCount != 1)
                {
                    consumed = data.Length;
                    break;
                }

                _synced[side] = true;
            }

            if (!result.IsParsed)
            {
                DnsTransactionBuilder.ReportStop(_context.Sink, result, prefixed.Message, _context.File, frame, _context.FlowName, _streamOffset[side] + consumed + DnsTcpLengthPrefix.Size);
            }

            if (message.HasHeader && (message.HasQuestion || message.Header.QuestionCount == 0))
            {
                OnMessage(prefixed.Message, message, fromClient, timeNs, frame);
            }

            consumed += framing.Consumed;
        }

        _streamOffset[side] += consumed;
        return consumed;
    }

    public void OnGap(bool fromClient, long timeNs, long missingBytes, bool snapCut) => _synced[fromClient ? 0 : 1] = false;

    public void OnEnd(long timeNs)
    {
        foreach (var query in _pending)
        {
            Emit(query, null, null, [], null, false);
        }

        _pending.Clear();
    }

    private void OnMessage(ReadOnlySpan<byte> bytes, in DnsMessage message, bool fromClient, long timeNs, long frame)
    {
        var name = message.HasQuestion ? _builder.NameText(message.Question.Name) : string.Empty;
        var type = message.HasQuestion ? message.Question.Type : (ushort)0;
        // The side sending a query is the client of that query, whatever the engine guessed.
        var sender = fromClient ? _context.Client : _context.Server;
        var receiver = fromClient ? _context.Server : _context.Client;
        if (!message.Header.IsResponse)
        {
            if (_pending.Count >= _options.MaxPendingPerConnection)
            {
                Emit(_pending[0], null, null, [], null, false);
                _pending.RemoveAt(0);
            }

            _pending.Add(new PendingQuery(new DnsQueryKey(sender, receiver, message.Header.Id, type, name), timeNs, frame));
            return;
        }

        var index = -1;
        for (var i = 0; i < _pending.Count && index < 0; i++)
        {
            var key = _pending[i].Key;
            if (key.Id == message.Header.Id
                && (!message.HasQuestion || (key.Type == type && string.Equals(key.Name, name, StringComparison.OrdinalIgnoreCase))))
            {
                index = i;
            }
        }

        if (index < 0)
        {
            return;
        }

        var query = _pending[index];
        _pending.RemoveAt(index);
        Emit(query, message.Rcode, timeNs, _builder.Answers(bytes, message), frame, message.Header.Truncated);
    }

    private void Emit(PendingQuery query, int? rcode, long? responseNs, IReadOnlyList<DnsAnswer> answers, long? responseFrame, bool truncated) =>
        _context.Sink.OnDns(new DnsTransaction(
            query.TimeNs,
            query.Key.Client,
            query.Key.Server,
            true,
            query.Key.Id,
            query.Key.Name,
            query.Key.Type,
            rcode,
            answers,
            responseNs,
            0,
            query.Frame,
            _context.File,
            responseFrame,
            truncated));

    private readonly record struct PendingQuery(DnsQueryKey Key, long TimeNs, long Frame);
}
