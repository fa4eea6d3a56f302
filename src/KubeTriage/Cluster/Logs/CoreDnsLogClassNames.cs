namespace KubeTriage.Cluster.Logs;

/// <summary>The stable names of <see cref="CoreDnsLogClass"/> used in reports (<c>upstream-timeout</c>, …).</summary>
public static class CoreDnsLogClassNames
{
    public static string Name(CoreDnsLogClass logClass) => logClass switch
    {
        CoreDnsLogClass.UpstreamTimeout => "upstream-timeout",
        CoreDnsLogClass.ApiServerUnreachable => "apiserver-unreachable",
        CoreDnsLogClass.ReadyWaiting => "ready-waiting",
        CoreDnsLogClass.LoopDetected => "loop-detected",
        CoreDnsLogClass.RbacDenied => "rbac-denied",
        CoreDnsLogClass.OtherError => "other-error",
        _ => "info",
    };
}
