using KubeTriage.Capture.Primitives;
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

    /// <summary>The group, with the client's questions over TCP for the name and type (<paramref name="overTcp"/>) that came after the first truncated answer.</summary>
    public DnsTruncationGroup Build(NetAddress client, NetAddress server, string name, ushort type, IReadOnlyList<(long TimeNs, bool Answered)> overTcp)
    {
        var after = overTcp.Where(q => q.TimeNs >= FirstTimeNs).ToList();
        return new DnsTruncationGroup
        {
            Client = client,
            Server = server,
            Name = name,
            QueryType = type,
            Truncated = Count,
            FirstTimeNs = FirstTimeNs,
            LastTimeNs = LastTimeNs,
            AskedOverTcp = after.Count,
            AnsweredOverTcp = after.Count(q => q.Answered),
            Examples = _examples.OrderBy(t => t.QueryTimeNs).ThenBy(t => t.QueryFrame).ToList(),
        };
    }
}
