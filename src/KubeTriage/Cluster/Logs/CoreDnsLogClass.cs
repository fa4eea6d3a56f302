namespace KubeTriage.Cluster.Logs;

/// <summary>What a CoreDNS log entry says, as far as triage cares.</summary>
public enum CoreDnsLogClass
{
    /// <summary>Start-up banners, query-log lines and anything else that is not a problem.</summary>
    Info = 0,

    /// <summary>The errors plugin could not get an answer from an upstream (i/o timeout, refused, unreachable, no healthy proxies), HINFO loop probes included.</summary>
    UpstreamTimeout,

    /// <summary>The kubernetes plugin (or its client-go reflectors) cannot reach the api-server.</summary>
    ApiServerUnreachable,

    /// <summary><c>plugin/ready: Still waiting on:</c> / <c>Plugins not ready:</c> and <c>waiting for Kubernetes API</c>.</summary>
    ReadyWaiting,

    /// <summary><c>[FATAL] plugin/loop: Loop (…) detected</c>: CoreDNS forwards to itself and exits.</summary>
    LoopDetected,

    /// <summary>The api-server answered, but denied CoreDNS's service account (forbidden / <c>unknown (get …)</c>).</summary>
    RbacDenied,

    /// <summary>Any other ERROR or FATAL entry.</summary>
    OtherError,
}
