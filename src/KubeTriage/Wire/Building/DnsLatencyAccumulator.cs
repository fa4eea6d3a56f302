using KubeTriage.Capture.Protocols.Dns;

namespace KubeTriage.Wire.Building;

/// <summary>Counts the answered DNS queries of one client to one server: their waits, the late ones and how they were re-sent.</summary>
internal sealed class DnsLatencyAccumulator(AddressPair key)
{
    private const int MaxExamples = 3;

    private readonly LatencyHistogram _waits = new();
    private readonly List<DnsTransaction> _examples = new(MaxExamples);
    private long _resent;
    private long _late;
    private long _lateResent;
    private long _lateAfterResend;
    private long _lateReasked;
    private long _lateEarlier;
    private long _lateTwins;
    private long _lateA;
    private long _lateAaaa;
    private long _intervalMin = long.MaxValue;
    private long _intervalMax;
    private long _afterResendMax;
    private long _lateMin = long.MaxValue;
    private long _firstLate = long.MaxValue;
    private long _lastLate;

    /// <summary>Counts an answered transaction (one without an answer is ignored).</summary>
    public void Add(DnsTransaction transaction, long slowNs)
    {
        if (transaction.WaitNs is not { } wait || transaction.ResponseTimeNs is not { } response)
        {
            return;
        }

        _waits.Add(wait);
        var resends = transaction.Resends;
        if (resends > 0)
        {
            _resent++;
        }

        if (wait < slowNs)
        {
            return;
        }

        var first = transaction.FirstSentNs;
        _late++;
        _lateMin = Math.Min(_lateMin, wait);
        _firstLate = Math.Min(_firstLate, first);
        _lastLate = Math.Max(_lastLate, first);
        _lateA += transaction.QueryType == DnsType.A ? 1 : 0;
        _lateAaaa += transaction.QueryType == DnsType.AAAA ? 1 : 0;
        if (transaction.Earlier?.SentWithTwin ?? transaction.SentWithTwin)
        {
            _lateTwins++;
        }

        if (resends > 0)
        {
            _lateResent++;
            var interval = (transaction.LastSentNs - first) / resends;
            _intervalMin = Math.Min(_intervalMin, interval);
            _intervalMax = Math.Max(_intervalMax, interval);
            var afterResend = response - transaction.LastSentNs;
            _afterResendMax = Math.Max(_afterResendMax, afterResend);
            _lateAfterResend += afterResend < slowNs ? 1 : 0;
            if (transaction.Earlier is { } earlier)
            {
                _lateReasked++;
                _lateEarlier += earlier.Queries;
            }
        }

        KeepEarliest(transaction);
    }

    public DnsLatencyGroup Build() => new()
    {
        Client = key.Client,
        Server = key.Server,
        Answered = _waits.Count,
        Resent = _resent,
        MedianNs = _waits.Quantile(0.5),
        P99Ns = _waits.Quantile(0.99),
        MaxNs = _waits.MaxNs,
        Late = _late,
        LateMinNs = _late > 0 ? _lateMin : 0,
        LateResent = _lateResent,
        LateAnsweredAfterResend = _lateAfterResend,
        LateReasked = _lateReasked,
        LateEarlierQueries = _lateEarlier,
        LateTwins = _lateTwins,
        LateA = _lateA,
        LateAaaa = _lateAaaa,
        ResendIntervalMinNs = _lateResent > 0 ? _intervalMin : 0,
        ResendIntervalMaxNs = _intervalMax,
        AfterResendMaxNs = _afterResendMax,
        FirstLateNs = _late > 0 ? _firstLate : 0,
        LastLateNs = _lastLate,
        Examples = _examples.OrderBy(t => t.FirstSentNs).ThenBy(t => t.QueryFrame).ToList(),
    };

    /// <summary>Answers arrive in answer order, not question order: keep the few whose question came first.</summary>
    private void KeepEarliest(DnsTransaction transaction)
    {
        if (_examples.Count < MaxExamples)
        {
            _examples.Add(transaction);
            return;
        }

        var latest = 0;
        for (var i = 1; i < _examples.Count; i++)
        {
            if (_examples[i].FirstSentNs > _examples[latest].FirstSentNs)
            {
                latest = i;
            }
        }

        if (transaction.FirstSentNs < _examples[latest].FirstSentNs)
        {
            _examples[latest] = transaction;
        }
    }
}
