using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Wire.Building;

/// <summary>Counts the decided TLS handshakes of one client with one server endpoint and server name, and the failed ones by kind.</summary>
internal sealed class TlsHandshakeAccumulator(NetAddress client, WireEndpoint server, string sni)
{
    private const int MaxExamples = 3;

    private readonly Dictionary<(TlsHandshakeOutcome Outcome, byte? Alert), Kind> _failures = [];
    private long _decided;
    private long _completed;

    public void Add(TlsTransaction transaction)
    {
        _decided++;
        if (!transaction.Failed)
        {
            _completed++;
            return;
        }

        var key = (transaction.Outcome, transaction.Alert);
        if (!_failures.TryGetValue(key, out var kind))
        {
            kind = new Kind(transaction.TimeNs);
            _failures[key] = kind;
        }

        kind.Count++;
        kind.FirstTimeNs = Math.Min(kind.FirstTimeNs, transaction.TimeNs);
        kind.LastTimeNs = Math.Max(kind.LastTimeNs, transaction.TimeNs);
        if (kind.Examples.Count < MaxExamples)
        {
            kind.Examples.Add(transaction);
        }
    }

    public TlsHandshakeGroup Build() => new()
    {
        Client = client,
        Server = server,
        Sni = sni,
        Decided = _decided,
        Completed = _completed,
        Failures = _failures
            .Select(f => new TlsFailureKind
            {
                Outcome = f.Key.Outcome,
                Alert = f.Key.Alert,
                Count = f.Value.Count,
                FirstTimeNs = f.Value.FirstTimeNs,
                LastTimeNs = f.Value.LastTimeNs,
                Examples = f.Value.Examples.OrderBy(t => t.TimeNs).ThenBy(t => t.Frame).ToList(),
            })
            .OrderByDescending(f => f.Count).ThenBy(f => f.FirstTimeNs).ToList(),
    };

    private sealed class Kind(long timeNs)
    {
        public long Count;
        public long FirstTimeNs = timeNs;
        public long LastTimeNs = timeNs;
        public readonly List<TlsTransaction> Examples = [];
    }
}
