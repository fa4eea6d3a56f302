using KubeTriage.Capture.Protocols.Dns;

namespace KubeTriage.Wire.Building;

/// <summary>Counts the answers of one <see cref="DnsAnswerKey"/> and remembers the first, updated in place.</summary>
internal sealed class DnsAnswerAccumulator(DnsAnswerKey key, DnsTransaction first, long firstAnsweredNs)
{
    private long _count = 1;
    private long _firstTimeNs = firstAnsweredNs;
    private DnsTransaction _first = first;

    /// <summary>Another transaction with the same answer, answered at <paramref name="answeredNs"/>.</summary>
    public void Add(DnsTransaction transaction, long answeredNs)
    {
        _count++;
        if (answeredNs < _firstTimeNs)
        {
            _firstTimeNs = answeredNs;
            _first = transaction;
        }
    }

    public DnsAnswerGroup Build() => new()
    {
        Name = key.Name,
        Server = key.Server,
        Client = _first.Client.Address,
        Type = key.Type,
        Addresses = key.Addresses,
        Count = _count,
        FirstTimeNs = _firstTimeNs,
        FirstQueryFrame = _first.QueryFrame,
        File = _first.File,
    };
}
