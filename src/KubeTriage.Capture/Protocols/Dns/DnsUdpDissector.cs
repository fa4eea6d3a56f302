using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// DNS over UDP for every flow of a capture (a resolver uses a new source port per query, so pairing
/// happens here, not per flow). A query waits under its <see cref="DnsQueryKey"/>; a response with the
/// same key completes it. The same query re-sent to the same server counts as a retransmission of one
/// transaction; a copy within <see cref="ProtocolOptions.DnsDuplicateWindowNs"/> is the capture seeing
/// one packet twice and is not counted. A query unanswered for <see cref="ProtocolOptions.DnsTimeoutNs"/>
/// after its last send, or at the end, is reported once with no response. Responses that match nothing
/// are counted, not reported: a late second answer to a retransmitted query in
/// <see cref="DuplicateResponses"/>, anything else in <see cref="UnmatchedResponses"/>.
/// Each question (client address, server, name, type) is also remembered while it waits for an answer, so a
/// query that asks it again from a new source port or with a new id, or after the first copy was given up,
/// within <see cref="ProtocolOptions.DnsResendWindowNs"/>, carries <see cref="DnsTransaction.Earlier"/>: the
/// client re-sent it. A question is remembered only once it has waited a duplicate window (a re-send cannot
/// come sooner), so the many answered at once cost a queue entry, not a dictionary entry. The last <see cref="SentSize"/> queries are remembered to spot an A and an AAAA query
/// sent together from one source port (<see cref="DnsTransaction.SentWithTwin"/>).
/// </summary>
public sealed class DnsUdpDissector : IUdpDissector
{
    private const int RecentSize = 64;

    /// <summary>Queries remembered to find an A/AAAA twin: glibc and musl send the two back to back.</summary>
    private const int SentSize = 16;

    private readonly ICaptureSink _sink;
    private readonly ProtocolOptions _options;
    private readonly DnsTransactionBuilder _builder;
    private readonly Dictionary<DnsQueryKey, Pending> _pending = [];
    private readonly Queue<(DnsQueryKey Key, long SentNs)> _deadlines = new();
    private readonly (DnsQueryKey Key, long TimeNs)[] _recent = new (DnsQueryKey, long)[RecentSize];
    private readonly Dictionary<DnsQuestionKey, Question> _questions = [];
    private readonly Queue<(DnsQuestionKey Key, long LastNs)> _givenUp = new();
    private readonly Queue<(DnsQueryKey Key, long SentNs)> _unregistered = new();
    private readonly (DnsQueryKey Key, long TimeNs)[] _sent = new (DnsQueryKey, long)[SentSize];
    private int _recentNext;
    private int _sentNext;

    public DnsUdpDissector(ICaptureSink sink, ProtocolOptions? options = null)
        : this(sink, options ?? ProtocolOptions.Default, new TextCache())
    {
    }

    internal DnsUdpDissector(ICaptureSink sink, ProtocolOptions options, TextCache cache)
    {
        _sink = sink;
        _options = options;
        _builder = new DnsTransactionBuilder(cache);
    }

    public string Protocol => "dns";

    public long Queries { get; private set; }

    public long Responses { get; private set; }

    /// <summary>Queries sent again to the same server while unanswered.</summary>
    public long Retransmissions { get; private set; }

    /// <summary>Copies of one packet seen twice within the duplicate window (queries and responses).</summary>
    public long DuplicateCopies { get; private set; }

    /// <summary>Further answers to a query already answered (the server answered a retransmission too).</summary>
    public long DuplicateResponses { get; private set; }

    /// <summary>Responses to no query in the capture (the query came before it began, or went elsewhere).</summary>
    public long UnmatchedResponses { get; private set; }

    /// <summary>Datagrams on a DNS port that could not be read as DNS at all.</summary>
    public long Malformed { get; private set; }

    /// <summary>Queries waiting for an answer now.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Queries that asked again a question still unanswered (from a new port, with a new id, or after it was given up).</summary>
    public long Resends { get; private set; }

    /// <summary>Questions remembered now (waiting for an answer, or given up less than the re-send window ago).</summary>
    internal int QuestionCount => _questions.Count;

    public void OnDatagram(ReadOnlySpan<byte> payload, WireEndpoint source, WireEndpoint destination, long timeNs, long frame, string file)
    {
        Expire(timeNs);
        var result = DnsMessage.TryRead(payload, out var message);
        if (!result.IsParsed)
        {
            DnsTransactionBuilder.ReportStop(_sink, result, payload, file, frame, $"{source} > {destination}", 0);
            if (!message.HasHeader || (!message.HasQuestion && message.Header.QuestionCount > 0))
            {
                Malformed++;
                return;
            }
        }

        var name = message.HasQuestion ? _builder.NameText(message.Question.Name) : string.Empty;
        var type = message.HasQuestion ? message.Question.Type : (ushort)0;
        if (!message.Header.IsResponse)
        {
            OnQuery(new DnsQueryKey(source, destination, message.Header.Id, type, name), timeNs, frame, file);
            return;
        }

        Responses++;
        var key = new DnsQueryKey(destination, source, message.Header.Id, type, name);
        if (!message.HasQuestion)
        {
            // FORMERR and some REFUSED answers carry no question: pair on endpoints and id alone.
            key = FindByIdOnly(key);
        }

        if (!_pending.Remove(key, out var pending))
        {
            if (IsRecent(key, timeNs, out var duplicate))
            {
                if (duplicate)
                {
                    DuplicateCopies++;
                }
                else
                {
                    DuplicateResponses++;
                }
            }
            else
            {
                UnmatchedResponses++;
            }

            return;
        }

        Remember(key, timeNs);
        var earlier = pending.Registered ? Settle(key, pending.Earlier) : null;
        _sink.OnDns(new DnsTransaction(
            pending.FirstNs,
            key.Client,
            key.Server,
            false,
            key.Id,
            key.Name,
            key.Type,
            message.Rcode,
            _builder.Answers(payload, message),
            timeNs,
            pending.Retransmissions,
            pending.Frame,
            pending.File,
            frame,
            message.Header.Truncated,
            pending.Retransmissions > 0 ? pending.LastNs : null,
            pending.Twin,
            earlier));
    }

    public void OnTime(long timeNs) => Expire(timeNs);

    public void OnEnd(long timeNs)
    {
        foreach (var (key, pending) in _pending.OrderBy(p => p.Value.FirstNs).ThenBy(p => p.Value.Frame))
        {
            ReportUnanswered(key, pending);
        }

        _pending.Clear();
        _deadlines.Clear();
        _questions.Clear();
        _givenUp.Clear();
        _unregistered.Clear();
    }

    private void OnQuery(DnsQueryKey key, long timeNs, long frame, string file)
    {
        Queries++;
        ref var pending = ref CollectionsMarshal.GetValueRefOrAddDefault(_pending, key, out var exists);
        if (exists)
        {
            if (timeNs - pending.LastNs < _options.DnsDuplicateWindowNs)
            {
                DuplicateCopies++;
                return;
            }

            Retransmissions++;
            pending = pending with { LastNs = timeNs, Retransmissions = pending.Retransmissions + 1 };
            if (pending.Registered)
            {
                var question = new DnsQuestionKey(key);
                if (_questions.TryGetValue(question, out var asked) && asked.Latest == key)
                {
                    _questions[question] = asked with { LastNs = timeNs, Sends = asked.Sends + 1 };
                }
            }
        }
        else
        {
            var twin = FindTwin(key, timeNs);
            var earlier = Ask(key, timeNs);
            pending = new Pending(timeNs, timeNs, frame, file, 0, twin, earlier, Registered: earlier is not null);
            if (earlier is null)
            {
                _unregistered.Enqueue((key, timeNs));
            }
            _sent[_sentNext] = (key, timeNs);
            _sentNext = (_sentNext + 1) % SentSize;
        }

        _deadlines.Enqueue((key, timeNs));
    }

    /// <summary>
    /// When <paramref name="key"/> asks a question still unanswered from a send at least a duplicate window and
    /// at most the re-send window ago, this query re-sends it: the question now follows this query, and the
    /// result says where it began. Otherwise null: this query starts the question afresh (remembered once it
    /// has waited a duplicate window, see <see cref="Register"/>).
    /// </summary>
    private DnsEarlierQuery? Ask(DnsQueryKey key, long timeNs)
    {
        if (_questions.Count == 0)
        {
            return null;
        }

        var question = new DnsQuestionKey(key);
        if (!_questions.TryGetValue(question, out var asked))
        {
            return null;
        }

        var since = timeNs - asked.LastNs;
        if (asked.Answered || since < _options.DnsDuplicateWindowNs || since > _options.DnsResendWindowNs)
        {
            return null;
        }

        Resends++;
        _questions[question] = asked with { Latest = key, LastNs = timeNs, Queries = asked.Queries + 1, Sends = asked.Sends + 1 };
        return new DnsEarlierQuery(asked.FirstNs, asked.FirstFrame, asked.FirstFile, asked.FirstClient, asked.FirstId,
            asked.Queries, asked.Sends, asked.Twin);
    }

    /// <summary>
    /// Remembers the question of a query that has waited a duplicate window without an answer, so that a query
    /// asking it again from a new port or with a new id can be told to be a re-send.
    /// </summary>
    private void Register(DnsQueryKey key, ref Pending pending)
    {
        pending = pending with { Registered = true };
        var question = new DnsQuestionKey(key);
        if (_questions.Count >= _options.MaxDnsQuestions && !_questions.ContainsKey(question))
        {
            return;
        }

        _questions[question] = new Question(key, pending.FirstNs, pending.Frame, pending.File, key.Client, key.Id, pending.LastNs,
            1, 1 + pending.Retransmissions, false, pending.Twin);
    }

    /// <summary>
    /// The answer to <paramref name="key"/> settles its question. The earlier queries count only when none of
    /// them was answered first (then this query was no re-send of a lost one, only a second lookup).
    /// </summary>
    private DnsEarlierQuery? Settle(DnsQueryKey key, DnsEarlierQuery? earlier)
    {
        var question = new DnsQuestionKey(key);
        if (!_questions.TryGetValue(question, out var asked))
        {
            return null;
        }

        if (asked.Latest == key)
        {
            _questions.Remove(question);
        }
        else
        {
            _questions[question] = asked with { Answered = true };
        }

        return asked.Answered ? null : earlier;
    }

    /// <summary>
    /// True when an A query follows an AAAA query for the same name from the same source port to the same
    /// server within the twin window, or the other way round; the earlier one is marked too.
    /// </summary>
    private bool FindTwin(DnsQueryKey key, long timeNs)
    {
        if (key.Type is not (DnsType.A or DnsType.AAAA))
        {
            return false;
        }

        var other = key.Type == DnsType.A ? DnsType.AAAA : DnsType.A;
        foreach (var (sent, sentNs) in _sent)
        {
            if (sent.Name is null || sent.Type != other || timeNs - sentNs > _options.DnsTwinWindowNs
                || sent.Client != key.Client || sent.Server != key.Server || !string.Equals(sent.Name, key.Name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (_pending.TryGetValue(sent, out var pending) && !pending.Twin)
            {
                _pending[sent] = pending with { Twin = true };
            }

            var question = new DnsQuestionKey(sent);
            if (_questions.TryGetValue(question, out var asked) && asked.Latest == sent && !asked.Twin)
            {
                _questions[question] = asked with { Twin = true };
            }

            return true;
        }

        return false;
    }

    private void Expire(long nowNs)
    {
        while (_unregistered.TryPeek(out var waiting) && nowNs - waiting.SentNs >= _options.DnsDuplicateWindowNs)
        {
            _unregistered.Dequeue();
            ref var pending = ref CollectionsMarshal.GetValueRefOrNullRef(_pending, waiting.Key);
            if (!Unsafe.IsNullRef(ref pending) && !pending.Registered)
            {
                Register(waiting.Key, ref pending);
            }
        }

        while (_deadlines.TryPeek(out var head) && nowNs - head.SentNs >= _options.DnsTimeoutNs)
        {
            _deadlines.Dequeue();
            // Only the deadline of the latest send counts; earlier sends left stale entries behind.
            if (_pending.TryGetValue(head.Key, out var pending) && pending.LastNs == head.SentNs)
            {
                _pending.Remove(head.Key);
                ReportUnanswered(head.Key, pending);
                var question = new DnsQuestionKey(head.Key);
                if (_questions.TryGetValue(question, out var asked) && asked.Latest == head.Key)
                {
                    _givenUp.Enqueue((question, asked.LastNs));
                }
            }
        }

        // A question given up is remembered for the re-send window after its last send, then forgotten.
        while (_givenUp.TryPeek(out var old) && nowNs - old.LastNs > _options.DnsResendWindowNs)
        {
            _givenUp.Dequeue();
            if (_questions.TryGetValue(old.Key, out var asked) && asked.LastNs == old.LastNs)
            {
                _questions.Remove(old.Key);
            }
        }
    }

    private void ReportUnanswered(DnsQueryKey key, Pending pending)
    {
        _sink.OnDns(new DnsTransaction(
            pending.FirstNs,
            key.Client,
            key.Server,
            false,
            key.Id,
            key.Name,
            key.Type,
            null,
            [],
            null,
            pending.Retransmissions,
            pending.Frame,
            pending.File,
            LastQueryTimeNs: pending.Retransmissions > 0 ? pending.LastNs : null,
            SentWithTwin: pending.Twin,
            Earlier: pending.Earlier));
    }

    private DnsQueryKey FindByIdOnly(DnsQueryKey key)
    {
        foreach (var candidate in _pending.Keys)
        {
            if (candidate.Id == key.Id && candidate.Client == key.Client && candidate.Server == key.Server)
            {
                return candidate;
            }
        }

        return key;
    }

    private void Remember(DnsQueryKey key, long timeNs)
    {
        _recent[_recentNext] = (key, timeNs);
        _recentNext = (_recentNext + 1) % RecentSize;
    }

    private bool IsRecent(DnsQueryKey key, long timeNs, out bool duplicate)
    {
        foreach (var (recentKey, recentNs) in _recent)
        {
            if (recentKey.Name is not null && timeNs - recentNs < _options.DnsTimeoutNs && recentKey.Equals(key))
            {
                duplicate = timeNs - recentNs < _options.DnsDuplicateWindowNs;
                return true;
            }
        }

        duplicate = false;
        return false;
    }

    /// <summary>A query waiting for its answer; <see cref="Registered"/> once its question is remembered (or was, by a re-send).</summary>
    private readonly record struct Pending(long FirstNs, long LastNs, long Frame, string File, int Retransmissions, bool Twin, DnsEarlierQuery? Earlier,
        bool Registered = false);

    /// <summary>A question waiting for an answer: its first send, the query that asked it last, and how often it was sent.</summary>
    private readonly record struct Question(
        DnsQueryKey Latest, long FirstNs, long FirstFrame, string FirstFile, WireEndpoint FirstClient, ushort FirstId,
        long LastNs, int Queries, int Sends, bool Answered, bool Twin);
}
