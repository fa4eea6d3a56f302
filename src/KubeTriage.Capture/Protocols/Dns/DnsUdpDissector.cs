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
/// </summary>
public sealed class DnsUdpDissector : IUdpDissector
{
    private const int RecentSize = 64;

    private readonly ICaptureSink _sink;
    private readonly ProtocolOptions _options;
    private readonly DnsTransactionBuilder _builder;
    private readonly Dictionary<DnsQueryKey, Pending> _pending = [];
    private readonly Queue<(DnsQueryKey Key, long SentNs)> _deadlines = new();
    private readonly (DnsQueryKey Key, long TimeNs)[] _recent = new (DnsQueryKey, long)[RecentSize];
    private int _recentNext;

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
            message.Header.Truncated));
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
        }
        else
        {
            pending = new Pending(timeNs, timeNs, frame, file, 0);
        }

        _deadlines.Enqueue((key, timeNs));
    }

    private void Expire(long nowNs)
    {
        while (_deadlines.TryPeek(out var head) && nowNs - head.SentNs >= _options.DnsTimeoutNs)
        {
            _deadlines.Dequeue();
            // Only the deadline of the latest send counts; earlier sends left stale entries behind.
            if (_pending.TryGetValue(head.Key, out var pending) && pending.LastNs == head.SentNs)
            {
                _pending.Remove(head.Key);
                ReportUnanswered(head.Key, pending);
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
            pending.File));
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

    private readonly record struct Pending(long FirstNs, long LastNs, long Frame, string File, int Retransmissions);
}
