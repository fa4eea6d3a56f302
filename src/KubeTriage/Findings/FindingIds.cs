namespace KubeTriage.Findings;

/// <summary>The stable finding ids of the contract. Users script against them: never rename one.</summary>
public static class FindingIds
{
    public const string ClusterDnsSingleReplica = "cluster-dns.single-replica";
    public const string ClusterDnsPodUnstable = "cluster-dns.pod-unstable";
    public const string ClusterDnsNoReadyEndpoints = "cluster-dns.no-ready-endpoints";
    public const string ClusterDnsUpstreamTimeout = "cluster-dns.upstream-timeout";
    public const string ClusterDnsApiServerUnreachable = "cluster-dns.apiserver-unreachable";
    public const string PodNameserverMismatch = "pod.nameserver-mismatch";
    public const string ClusterDnsForwardLoop = "cluster-dns.forward-loop";
    public const string ClusterDnsRbacDenied = "cluster-dns.rbac-denied";
    public const string NodeNicMissing = "node.nic-missing";
    public const string NodePolicyRouteMissing = "node.policy-route-missing";
    public const string NodePodEgressWrongInterface = "node.pod-egress-wrong-interface";
    public const string TcpConnectNoReply = "tcp.connect-no-reply";
    public const string TcpConnectRefused = "tcp.connect-refused";
    public const string TcpConnectRetried = "tcp.connect-retried";
    public const string TcpConnectionChurn = "tcp.connection-churn";
    public const string TcpRetransmissions = "tcp.retransmissions";
    public const string NetPathMtu = "net.path-mtu";
    public const string NetArpUnanswered = "net.arp-unanswered";
    public const string TcpZeroWindow = "tcp.zero-window";
    public const string TcpResetByPeer = "tcp.reset-by-peer";
    public const string TcpRequestTimeout = "tcp.request-timeout";
    public const string DnsNoResponse = "dns.no-response";
    public const string DnsSlowResponse = "dns.slow-response";
    public const string DnsErrorRcode = "dns.error-rcode";
    public const string DnsTruncated = "dns.truncated";
    public const string DnsUnexpectedAnswer = "dns.unexpected-answer";
    public const string DnsResolverDisagreement = "dns.resolver-disagreement";
    public const string MySqlSlowQuery = "mysql.slow-query";
    public const string MySqlError = "mysql.error";
    public const string MySqlSlowConnect = "mysql.slow-connect";
    public const string HttpErrorStatus = "http.error-status";
    public const string GrpcErrorStatus = "grpc.error-status";
    public const string TlsHandshakeFailure = "tls.handshake-failure";
    public const string DependencySlow = "dependency.slow";
    public const string DependencyUndeclared = "dependency.undeclared";
}
