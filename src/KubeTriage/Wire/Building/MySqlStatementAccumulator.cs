using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.MySql;

namespace KubeTriage.Wire.Building;

/// <summary>Counts the answered commands of one statement shape to one server.</summary>
internal sealed class MySqlStatementAccumulator(WireEndpoint server, string shape, string commandName)
{
    private const int MaxExamples = 3;

    private readonly List<MySqlTransaction> _examples = [];
    private long _count;
    private long _total;
    private long _max;
    private long _slowCount;
    private long _slowTotal;
    private long _slowMax;
    private long? _firstSlow;
    private long? _lastSlow;

    public void Add(MySqlTransaction transaction, long latencyNs, long slowNs)
    {
        _count++;
        _total += latencyNs;
        _max = Math.Max(_max, latencyNs);
        if (latencyNs < slowNs)
        {
            return;
        }

        _slowCount++;
        _slowTotal += latencyNs;
        _slowMax = Math.Max(_slowMax, latencyNs);
        _firstSlow = _firstSlow is { } f ? Math.Min(f, transaction.RequestTimeNs) : transaction.RequestTimeNs;
        _lastSlow = _lastSlow is { } l ? Math.Max(l, transaction.RequestTimeNs) : transaction.RequestTimeNs;
        if (_examples.Count < MaxExamples)
        {
            _examples.Add(transaction);
        }
    }

    public MySqlStatementGroup Build() => new()
    {
        Server = server,
        Shape = shape,
        CommandName = commandName,
        Count = _count,
        TotalNs = _total,
        MaxNs = _max,
        SlowCount = _slowCount,
        SlowTotalNs = _slowTotal,
        SlowMaxNs = _slowMax,
        FirstSlowNs = _firstSlow,
        LastSlowNs = _lastSlow,
        SlowExamples = _examples.OrderBy(t => t.RequestTimeNs).ToList(),
    };
}
