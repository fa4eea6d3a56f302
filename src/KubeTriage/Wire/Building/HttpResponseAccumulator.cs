using KubeTriage.Capture.Protocols.Http;

namespace KubeTriage.Wire.Building;

/// <summary>
/// Counts the answered requests of one <see cref="HttpServerKey"/>, and per error status (<paramref name="firstError"/>
/// and above: 400 for HTTP statuses, 1 for gRPC's; and any negative one, an outcome that is not a status) the responses,
/// their first and last times and the earliest few requests.
/// </summary>
internal sealed class HttpResponseAccumulator(HttpServerKey key, int firstError = 400)
{
    private const int MaxExamples = 3;

    private readonly List<StatusCount> _errors = [];
    private long _responses;

    /// <summary>Error statuses counted so far (each one is a group of the evidence).</summary>
    public int ErrorStatuses => _errors.Count;

    /// <summary>Counts an answered request; false when its error status is new and <paramref name="mayAddStatus"/> forbids a new group.</summary>
    public bool Add(HttpTransaction transaction, int status, bool mayAddStatus)
    {
        _responses++;
        if (status >= 0 && status < firstError)
        {
            return true;
        }

        var counter = Find(status);
        if (counter is null)
        {
            if (!mayAddStatus)
            {
                return false;
            }

            counter = new StatusCount(status, transaction.RequestTimeNs);
            _errors.Add(counter);
        }

        counter.Add(transaction);
        return true;
    }

    public IEnumerable<HttpErrorGroup> Build() => _errors.Select(e => new HttpErrorGroup
    {
        Client = key.Client,
        Server = key.Server,
        Host = key.Host,
        Status = e.Status,
        Count = e.Count,
        Responses = _responses,
        FirstTimeNs = e.FirstTimeNs,
        LastTimeNs = e.LastTimeNs,
        Examples = e.Examples.OrderBy(t => t.RequestTimeNs).ThenBy(t => t.RequestFrame).ThenBy(t => t.StreamId).ToList(),
    });

    /// <summary>A server sends few distinct statuses: a list searched in order beats a dictionary here.</summary>
    private StatusCount? Find(int status)
    {
        foreach (var counter in _errors)
        {
            if (counter.Status == status)
            {
                return counter;
            }
        }

        return null;
    }

    private sealed class StatusCount(int status, long timeNs)
    {
        public int Status { get; } = status;

        public long Count { get; private set; }

        public long FirstTimeNs { get; private set; } = timeNs;

        public long LastTimeNs { get; private set; } = timeNs;

        public List<HttpTransaction> Examples { get; } = new(MaxExamples);

        public void Add(HttpTransaction transaction)
        {
            Count++;
            FirstTimeNs = Math.Min(FirstTimeNs, transaction.RequestTimeNs);
            LastTimeNs = Math.Max(LastTimeNs, transaction.RequestTimeNs);

            // Records arrive as connections end, not in time order: keep the earliest few.
            if (Examples.Count < MaxExamples)
            {
                Examples.Add(transaction);
                return;
            }

            var latest = 0;
            for (var i = 1; i < Examples.Count; i++)
            {
                if (Examples[i].RequestTimeNs > Examples[latest].RequestTimeNs)
                {
                    latest = i;
                }
            }

            if (transaction.RequestTimeNs < Examples[latest].RequestTimeNs)
            {
                Examples[latest] = transaction;
            }
        }
    }
}
