using KubeTriage.Cluster.Logs;

namespace KubeTriage.Cluster;

/// <summary>A cluster-DNS container log with its classification and the node its pod runs on.</summary>
public sealed record CoreDnsPodLog(PodLog Log, CoreDnsLogSummary Summary, string? Node);
