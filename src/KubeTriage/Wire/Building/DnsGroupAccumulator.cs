using KubeTriage.Capture.Protocols.Dns;

namespace KubeTriage.Wire.Building;

/// <summary>Counts the DNS queries of one <see cref="DnsGroupKey"/>.</summary>
internal sealed class DnsGroupAccumulator(DnsGroupKey key, DnsTransaction first)
{
    /// <summary>The times of the last few unanswered queries, to tell "no answer" from "the capture ended".</summary>
    private readonly long[] _recent = new long[8];
    private long _count;
    private long _retransmissions;
    private long _firstTime = first.QueryTimeNs;
    private long _firstFrame = first.QueryFrame;
    private string _file = first.File;
    private long _lastTime = first.QueryTimeNs;
    private long _maxLatency;

    public void Add(DnsTransaction transaction)
    {
        _recent[_count % _recent.Length] = transaction.QueryTimeNs;
        _count++;
        _retransmissions += transaction.Retransmissions;
        if (transaction.QueryTimeNs < _firstTime)
        {
            _firstTime = transaction.QueryTimeNs;
            _firstFrame = transaction.QueryFrame;
            _file = transaction.File;
        }

        _lastTime = Math.Max(_lastTime, transaction.QueryTimeNs);
        if (transaction.ResponseTimeNs is { } response)
        {
            _maxLatency = Math.Max(_maxLatency, response - transaction.QueryTimeNs);
        }
    }

    public DnsQueryGroup Build(long? captureEndNs, long graceNs)
    {
        long atEnd = 0;
        if (key.Rcode < 0 && captureEndNs is { } end)
        {
            var recent = (int)Math.Min(_count, _recent.Length);
            for (var i = 0; i < recent; i++)
            {
                if (_recent[i] > end - graceNs)
                {
                    atEnd++;
                }
            }
        }

        return new DnsQueryGroup
        {
            Client = key.Client,
            Server = key.Server,
            Name = key.Name,
            Type = key.Type,
            Rcode = key.Rcode < 0 ? null : key.Rcode,
            Count = _count,
            Retransmissions = _retransmissions,
            FirstTimeNs = _firstTime,
            LastTimeNs = _lastTime,
            FirstFrame = _firstFrame,
            File = _file,
            MaxLatencyNs = _maxLatency,
            AtCaptureEnd = atEnd,
        };
    }
}
