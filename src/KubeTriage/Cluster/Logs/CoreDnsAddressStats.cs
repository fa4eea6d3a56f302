namespace KubeTriage.Cluster.Logs;

/// <summary>How often one address (an upstream or the api-server) failed in a log, with the first and last entries as samples.</summary>
public sealed record CoreDnsAddressStats(
    string Address,
    int Count,
    int LoopProbes,
    IReadOnlyDictionary<string, int> Kinds,
    CoreDnsLogEntry First,
    CoreDnsLogEntry Last);
