using KubeTriage.Cluster.Logs;

namespace KubeTriage.Tests.Cluster.Logs;

/// <summary>A start-up with the api-server and the upstreams unreachable, as each CoreDNS version logs it.</summary>
public sealed class CoreDnsLogVersionTests
{
    public static TheoryData<string, string, int, int, int> Logs => new()
    {
        {
            // 1.8.0: klog writes client-go errors natively on stdout, no plugin prefix
            "1.8.0",
            """
            .:53
            [INFO] plugin/reload: Running configuration MD5 = 1c4a6e0d2b3f5a7c9e1d3f5a7b9c0d2e
            CoreDNS-1.8.0
            linux/amd64, go1.15.3, 054c9ae
            I1128 09:31:40.487296       1 trace.go:205] Trace[81]: "Reflector ListAndWatch" name:pkg/mod/k8s.io/client-go@v0.19.2/tools/cache/reflector.go:156 (28-Nov-2026 09:31:10.486) (total time: 30000ms):
            Trace[81]: [30.000673657s] [30.000673657s] END
            E1128 09:31:40.487332       1 reflector.go:127] pkg/mod/k8s.io/client-go@v0.19.2/tools/cache/reflector.go:156: Failed to watch *v1.Endpoints: failed to list *v1.Endpoints: Get "https://10.96.0.1:443/api/v1/endpoints?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout
            [INFO] plugin/ready: Still waiting on: "kubernetes"
            [ERROR] plugin/errors: 2 3115642290411234567.8061232467890123456. HINFO: read udp 198.18.1.30:36585->198.18.2.11:53: i/o timeout
            """,
            1, 1, 1
        },
        {
            // 1.8.3: the version probe fails the plugin setup; Go's log.Fatal, no level
            "1.8.3",
            """
            plugin/kubernetes: Get "https://10.96.0.1:443/version?timeout=32s": dial tcp 10.96.0.1:443: i/o timeout
            """,
            0, 1, 0
        },
        {
            // 1.8.4: no API error line at all, only the unsynced warning and readiness
            "1.8.4",
            """
            [WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API
            .:53
            [INFO] plugin/reload: Running configuration MD5 = 528a67c20a203cc830e48e3dbcd28c8d
            CoreDNS-1.8.4
            linux/amd64, go1.16.4, 053c4d5
            [INFO] plugin/ready: Still waiting on: "kubernetes"
            [INFO] plugin/ready: Still waiting on: "kubernetes"
            [ERROR] plugin/errors: 2 example-api.com. A: read udp 198.18.1.30:41000->198.18.2.12:53: i/o timeout
            """,
            1, 1, 2
        },
        {
            // 1.9.4: the connection-failure warning, HINFO probes to two upstreams
            "1.9.4",
            """
            [INFO] plugin/kubernetes: waiting for Kubernetes API before starting server
            [WARNING] plugin/kubernetes: Kubernetes API connection failure: Get "https://10.96.0.1:443/version": dial tcp 10.96.0.1:443: connect: no route to host
            .:53
            CoreDNS-1.9.4
            linux/amd64, go1.19.1, 1f0a41a
            [ERROR] plugin/errors: 2 9046907317035916015.6524203328978374704. HINFO: read udp 198.18.1.30:36585->198.18.2.11:53: i/o timeout
            [ERROR] plugin/errors: 2 9046907317035916015.6524203328978374704. HINFO: read udp 198.18.1.30:44554->198.18.2.12:53: i/o timeout
            """,
            2, 1, 1
        },
        {
            // 1.11.1: reflector errors through the kubernetes plugin, Trace blocks without a level
            "1.11.1",
            """
            [ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231: Failed to watch *v1.Service: failed to list *v1.Service: Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout
            [INFO] plugin/kubernetes: Trace[1924537645]: "Reflector ListAndWatch" name:pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231 (28-Nov-2026 09:11:21.772) (total time: 30001ms):
            Trace[1924537645]: ---"Objects listed" error:Get "https://10.96.0.1:443/apis/discovery.k8s.io/v1/endpointslices?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout 30001ms (09:11:51.773)
            Trace[1924537645]: [30.001441343s] [30.001441343s] END
            [ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231: Failed to watch *v1.EndpointSlice: failed to list *v1.EndpointSlice: Get "https://10.96.0.1:443/apis/discovery.k8s.io/v1/endpointslices?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout
            CoreDNS-1.11.1
            [ERROR] plugin/errors: 2 example-api.com. AAAA: read udp 198.18.1.30:8902->198.18.2.11:53: i/o timeout
            """,
            1, 2, 0
        },
        {
            // 1.11.3: hard-wrapped failed list, then the bare Unhandled Error
            "1.11.3",
            """
            CoreDNS-1.11.3
            [INFO] plugin/ready: Still waiting on: "kubernetes"
            [INFO] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:243: failed to list *v1.Service:
             Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout
            [ERROR] plugin/kubernetes: Unhandled Error
            """,
            0, 2, 1
        },
        {
            // 1.12.2: the new readiness wording
            "1.12.2",
            """
            maxprocs: Leaving GOMAXPROCS=4: CPU quota undefined
            [WARNING] No files matching import glob pattern: /etc/coredns/custom/*.override
            [INFO] plugin/ready: Plugins not ready: "kubernetes"
            [INFO] plugin/kubernetes: waiting for Kubernetes API before starting server
            [WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API
            .:53
            CoreDNS-1.12.2
            [ERROR] plugin/errors: 2 oss.example.com. A: read udp 198.18.1.30:50190->198.18.2.12:53: i/o timeout
            """,
            1, 1, 2
        },
    };

    [Theory]
    [MemberData(nameof(Logs))]
    public void CountsUpstreamApiServerAndReadinessLinesOfEachVersion(string version, string log, int upstream, int apiServer, int readyWaiting)
    {
        // Given / When
        var summary = CoreDnsLogSummary.Of(log);

        // Then
        Assert.Equal(upstream, summary.Count(CoreDnsLogClass.UpstreamTimeout));
        Assert.Equal(apiServer, summary.Count(CoreDnsLogClass.ApiServerUnreachable));
        Assert.Equal(readyWaiting, summary.Count(CoreDnsLogClass.ReadyWaiting));
        Assert.Equal(0, summary.Count(CoreDnsLogClass.OtherError));
        if (log.Contains("CoreDNS-", StringComparison.Ordinal))
        {
            Assert.Equal(version, summary.Version);
        }
    }

    [Fact]
    public void ReadsTheOldLoopWording()
    {
        // Given: CoreDNS 1.2 said it differently
        const string log = "2018/08/15 14:37:17 [FATAL] plugin/loop: Seen \"HINFO IN 2050421060481615995.5620656063561519376.\" more than twice, loop detected\n";

        // When
        var summary = CoreDnsLogSummary.Of(log);

        // Then
        Assert.Equal(1, summary.Count(CoreDnsLogClass.LoopDetected));
        Assert.Equal(new DateTimeOffset(2018, 8, 15, 14, 37, 17, TimeSpan.Zero), Assert.Single(summary.Loops).Time);
    }
}
