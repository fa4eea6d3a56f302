namespace KubeTriage.Cluster;

/// <summary>The <c>cluster</c> section of a report (JSON <c>cluster</c>): what was read, summarised.</summary>
public sealed record ClusterSection(
    string Source,
    DateTimeOffset CollectedAt,
    ClusterDnsSection CoreDns,
    IReadOnlyList<TargetPodSection> TargetPods,
    IReadOnlyList<NodeSection> Nodes,
    IReadOnlyList<string> Unavailable);

public sealed record ClusterDnsSection(
    IReadOnlyList<DeploymentSection> Deployments,
    IReadOnlyList<DnsPodSection> Pods,
    ServiceSection? Service,
    EndpointsSection? Endpoints,
    CorefileSection? Corefile,
    IReadOnlyList<LogSection> Logs);

public sealed record DeploymentSection(string Namespace, string Name, int Replicas, int ReadyReplicas, int AvailableReplicas, int UpdatedReplicas);

public sealed record DnsPodSection(
    string Name,
    string? Node,
    string? PodIp,
    string? Phase,
    bool Ready,
    int Restarts,
    string State,
    string? LastTerminationReason,
    int? LastTerminationExitCode,
    DateTimeOffset? LastTerminationAt,
    string? Image,
    string? DnsPolicy);

public sealed record ServiceSection(string Namespace, string Name, string? ClusterIp, IReadOnlyList<string> Ports);

public sealed record EndpointsSection(string Source, IReadOnlyList<EndpointAddress> Ready, IReadOnlyList<EndpointAddress> NotReady);

public sealed record CorefileSection(string? Source, IReadOnlyList<CorefileBlockSection> ServerBlocks, IReadOnlyList<ForwardSection> ForwardTargets, IReadOnlyList<string> Problems);

public sealed record CorefileBlockSection(IReadOnlyList<string> Keys, IReadOnlyList<string> Plugins);

public sealed record ForwardSection(IReadOnlyList<string> Zones, string Plugin, string From, IReadOnlyList<string> Targets, bool UsesResolvConf, int Line);

public sealed record LogSection(
    string Pod,
    string Container,
    bool Previous,
    string? Node,
    int Entries,
    string? Version,
    DateTimeOffset? FirstTime,
    DateTimeOffset? LastTime,
    IReadOnlyDictionary<string, int> Classes,
    IReadOnlyList<AddressSection> Upstreams,
    IReadOnlyList<AddressSection> ApiServers,
    IReadOnlyList<string> NotReadyPlugins);

public sealed record AddressSection(string Address, int Count, int LoopProbes, IReadOnlyDictionary<string, int> Kinds, string First, string Last);

public sealed record TargetPodSection(
    string Namespace,
    string Name,
    string? Node,
    string? DnsPolicy,
    bool HostNetwork,
    IReadOnlyList<string> Nameservers,
    string? NameserverSource,
    string? ClusterDnsIp,
    bool? UsesClusterDns);

public sealed record NodeSection(string Name, bool? Ready, string? InternalIp, IReadOnlyList<string> ClusterDnsPods);
