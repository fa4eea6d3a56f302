using KubeTriage.Capture.Protocols.Dns;

namespace KubeTriage.Wire.Building;

/// <summary>Counts the truncated UDP answers one server gave one client for one name and type, keeping the first few.</summary>
internal sealed class DnsTruncationAccumulator
{
    private const int MaxExamples = 3;
    private readonly List<DnsTransaction> _examples = [];

    public long Count { get; private set; }

    public long FirstTimeNs { get; private set; } = long.MaxValue;

    public long LastTimeNs { get; private set; }

    public void Add(DnsTransaction transaction)
    {
        Count++;
        long at = transaction.ResponseTimeNs ?? transaction.QueryTimeNs;
        FirstTimeNs = Math.Min(FirstTimeNs, at);
        LastTimeNs = Math.Max(LastTimeNs, at);
        if (_examples.Count < MaxExamples)
        {
            _examples.Add(transaction);
        }
    }

    public IReadOnlyList<DnsTransaction> Examples => _examples.OrderBy(t => t.QueryTimeNs).ThenBy(t => t.QueryFrame).ToList();
}
