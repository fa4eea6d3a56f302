using KubeTriage.Cluster.Logs;

namespace KubeTriage.Tests.Cluster.Logs;

public sealed class CoreDnsLogClassifierTests
{
    // One row per line shape, grouped by the CoreDNS version that prints it. Addresses are the test network's.
    [Theory]
    // address: the upstream for upstream failures and loops, the api-server for api-server failures.
    // errors plugin, identical from 1.8.0 to 1.12.x: RCODE QNAME QTYPE: err
    [InlineData("[ERROR] plugin/errors: 2 example-api.com. A: read udp 198.18.1.30:41873->198.18.2.11:53: i/o timeout", CoreDnsLogClass.UpstreamTimeout, "198.18.2.11:53", "i/o timeout")]
    [InlineData("[ERROR] plugin/errors: 2 oss.example.com. AAAA: read udp 198.18.1.30:5311->198.18.2.12:53: read: connection refused", CoreDnsLogClass.UpstreamTimeout, "198.18.2.12:53", "connection refused")]
    [InlineData("[ERROR] plugin/errors: 2 example-api.com. A: dial udp 198.18.2.11:53: connect: network is unreachable", CoreDnsLogClass.UpstreamTimeout, "198.18.2.11:53", "network is unreachable")]
    [InlineData("[ERROR] plugin/errors: 2 example-api.com. A: read tcp 198.18.1.30:40001->198.18.2.11:53: i/o timeout", CoreDnsLogClass.UpstreamTimeout, "198.18.2.11:53", "i/o timeout")]
    [InlineData("[ERROR] plugin/errors: 2 example-api.com. A: dial tcp 198.18.2.12:53: i/o timeout", CoreDnsLogClass.UpstreamTimeout, "198.18.2.12:53", "i/o timeout")]
    [InlineData("[ERROR] plugin/errors: 2 example-api.com. A: no healthy proxies", CoreDnsLogClass.UpstreamTimeout, null, "no healthy proxies")]
    // A masked address (people redact logs before sharing): the parser must not assume digits.
    [InlineData("[ERROR] plugin/errors: 2 example-api.com. A: read udp *.*.*.*:4586->UPSTREAM.ONE:53: i/o timeout", CoreDnsLogClass.UpstreamTimeout, "UPSTREAM.ONE:53", "i/o timeout")]
    // IPv6 upstream
    [InlineData("[ERROR] plugin/errors: 2 example-api.com. AAAA: read udp [fd00:198:18::30]:41873->[fd00:198:18::11]:53: i/o timeout", CoreDnsLogClass.UpstreamTimeout, "[fd00:198:18::11]:53", "i/o timeout")]
    // consolidate option (1.8.5+)
    [InlineData("[ERROR] plugin/errors: 12 errors like '^read udp .* i/o timeout$' occurred in last 5m0s", CoreDnsLogClass.UpstreamTimeout, null, "i/o timeout")]
    // proxy plugin (<= 1.4, still in old clusters), with the 1.3-1.6 ISO timestamp
    [InlineData("2019-01-29T08:13:09.676Z [ERROR] plugin/errors: 2 db.shop.internal. A: unreachable backend: read udp 10.32.0.5:46620->10.20.0.2:53: i/o timeout", CoreDnsLogClass.UpstreamTimeout, "10.20.0.2:53", "i/o timeout")]
    // an errors-plugin line that is not an upstream failure
    [InlineData("[ERROR] plugin/errors: 2 example-api.com. A: plugin/forward: no next plugin found", CoreDnsLogClass.OtherError, null, "plugin/forward: no next plugin found")]
    // kubernetes plugin 1.9.1-1.10.x start-up probe
    [InlineData("[WARNING] plugin/kubernetes: Kubernetes API connection failure: Get \"https://10.96.0.1:443/version\": dial tcp 10.96.0.1:443: connect: no route to host", CoreDnsLogClass.ApiServerUnreachable, "10.96.0.1:443", "no route to host")]
    // 1.8.0-1.9.3: klog-native reflector line (column padding as klog prints it)
    [InlineData("E1128 09:31:10.487332       1 reflector.go:127] pkg/mod/k8s.io/client-go@v0.19.2/tools/cache/reflector.go:156: Failed to watch *v1.Endpoints: failed to list *v1.Endpoints: Get \"https://10.96.0.1:443/api/v1/endpoints?limit=500&resourceVersion=0\": dial tcp 10.96.0.1:443: i/o timeout", CoreDnsLogClass.ApiServerUnreachable, "10.96.0.1:443", "i/o timeout")]
    // pre-Go-1.14 builds print the URL unquoted
    [InlineData("E1128 09:31:10.487332       1 reflector.go:125] pkg/mod/k8s.io/client-go@v0.0.0/tools/cache/reflector.go:98: Failed to list *v1.Namespace: Get https://10.96.0.1:443/api/v1/namespaces?limit=500&resourceVersion=0: dial tcp 10.96.0.1:443: connect: connection refused", CoreDnsLogClass.ApiServerUnreachable, "10.96.0.1:443", "connection refused")]
    // 1.9.4-1.11.x: reflector errors routed through the kubernetes plugin
    [InlineData("[ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231: Failed to watch *v1.Service: failed to list *v1.Service: Get \"https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0\": dial tcp 10.96.0.1:443: i/o timeout", CoreDnsLogClass.ApiServerUnreachable, "10.96.0.1:443", "i/o timeout")]
    [InlineData("[INFO] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:243: failed to list *v1.EndpointSlice: Get \"https://10.96.0.1:443/apis/discovery.k8s.io/v1/endpointslices?limit=500&resourceVersion=0\": dial tcp 10.96.0.1:443: i/o timeout", CoreDnsLogClass.ApiServerUnreachable, "10.96.0.1:443", "i/o timeout")]
    // 1.8.1-1.8.3: Go's plain log.Fatal on the version probe, no level
    [InlineData("plugin/kubernetes: Get \"https://10.96.0.1:443/version?timeout=32s\": dial tcp 10.96.0.1:443: i/o timeout", CoreDnsLogClass.ApiServerUnreachable, "10.96.0.1:443", "i/o timeout")]
    // 1.8.4+: gave up waiting for the sync
    [InlineData("[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API", CoreDnsLogClass.ApiServerUnreachable, null, "started with unsynced Kubernetes API")]
    // readiness: up to 1.12.1, and the 1.12.2+ wording
    [InlineData("[INFO] plugin/ready: Still waiting on: \"kubernetes\"", CoreDnsLogClass.ReadyWaiting, null, "kubernetes")]
    [InlineData("[INFO] plugin/ready: Plugins not ready: \"kubernetes\"", CoreDnsLogClass.ReadyWaiting, null, "kubernetes")]
    [InlineData("[INFO] plugin/ready: Still waiting on: \"erratic,kubernetes\"", CoreDnsLogClass.ReadyWaiting, null, "erratic,kubernetes")]
    [InlineData("[INFO] plugin/kubernetes: waiting for Kubernetes API before starting server", CoreDnsLogClass.ReadyWaiting, null, "kubernetes")]
    // loop plugin, 1.8.0-1.12.x
    [InlineData("[FATAL] plugin/loop: Loop (127.0.0.1:44021 -> :53) detected for zone \".\", see https://coredns.io/plugins/loop#troubleshooting. Query: \"HINFO 4547991504243258144.3688648895315093531.\"", CoreDnsLogClass.LoopDetected, "127.0.0.1:44021", "zone \".\"")]
    // RBAC: the api-server answered, it said no
    [InlineData("E1128 09:30:11.480000       1 reflector.go:138] pkg/mod/k8s.io/client-go@v0.20.2/tools/cache/reflector.go:167: Failed to watch *v1beta1.EndpointSlice: unknown (get endpointslices.discovery.k8s.io)", CoreDnsLogClass.RbacDenied, null, "endpointslices.discovery.k8s.io")]
    [InlineData("[ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231: Failed to watch *v1.EndpointSlice: failed to list *v1.EndpointSlice: endpointslices.discovery.k8s.io is forbidden: User \"system:serviceaccount:kube-system:coredns\" cannot list resource \"endpointslices\" in API group \"discovery.k8s.io\" at the cluster scope", CoreDnsLogClass.RbacDenied, null, "endpointslices")]
    // other lines
    [InlineData("[ERROR] plugin/reload: Corefile changed but reload failed: plugin/forward: not an IP address or file: \"dns.lab\"", CoreDnsLogClass.OtherError, null, null)]
    public void ClassifiesEachLineShape(string line, CoreDnsLogClass expected, string? address, string? detail)
    {
        // Given
        var classifier = new CoreDnsLogClassifier();
        var (time, text) = CoreDnsLogReader.StripTimestamps(line);

        // When
        var entry = classifier.Classify(1, time, text);

        // Then
        Assert.Equal(expected, entry.Class);
        Assert.Equal(address, expected == CoreDnsLogClass.ApiServerUnreachable ? entry.ApiServer : entry.Upstream);
        if (detail is not null)
        {
            Assert.Equal(detail, entry.Detail);
        }
    }

    [Theory]
    [InlineData("[INFO] plugin/reload: Running configuration SHA512 = 0a1b2c")]
    [InlineData("CoreDNS-1.11.1")]
    [InlineData("linux/amd64, go1.20.7, ae2bbc2")]
    [InlineData(".:53")]
    [InlineData("[INFO] 198.18.1.20:48172 - 51234 \"A IN example-api.com. udp 45 false 512\" NOERROR qr,rd,ra 61 0.000191834s")]
    [InlineData("[INFO] 198.18.1.20:63325 - 28625 \"A IN example-api.com. udp 49 false 4096\" - - 0 6.010923182s")]
    [InlineData("[WARNING] No files matching import glob pattern: /etc/coredns/custom/*.override")]
    [InlineData("maxprocs: Leaving GOMAXPROCS=4: CPU quota undefined")]
    [InlineData("[WARNING] plugin/health: Local health request to \"http://:8080/health\" took more than 1s: 1.2s")]
    public void TreatsBannersQueriesAndWarningsAsInfo(string line)
    {
        // Given
        var classifier = new CoreDnsLogClassifier();

        // When
        var entry = classifier.Classify(1, null, line);

        // Then
        Assert.Equal(CoreDnsLogClass.Info, entry.Class);
    }

    [Fact]
    public void MarksTheLoopPluginsHinfoProbe()
    {
        // Given
        var classifier = new CoreDnsLogClassifier();

        // When
        var probe = classifier.Classify(1, null, "[ERROR] plugin/errors: 2 9046907317035916015.6524203328978374704. HINFO: read udp 198.18.1.30:36585->198.18.2.11:53: i/o timeout");
        var query = classifier.Classify(2, null, "[ERROR] plugin/errors: 2 example-api.com. A: read udp 198.18.1.30:36586->198.18.2.11:53: i/o timeout");

        // Then
        Assert.True(probe.LoopProbe);
        Assert.False(query.LoopProbe);
        Assert.Equal("198.18.2.11:53", probe.Upstream);
    }

    [Fact]
    public void NamesTheApiServerFromTheDialTargetOrTheUrl()
    {
        // Given / When
        var dial = CoreDnsLogClassifier.ApiServerOf("Get \"https://10.96.0.1:443/api/v1/services\": dial tcp 10.96.0.1:443: i/o timeout");
        var url = CoreDnsLogClassifier.ApiServerOf("Get \"https://api.lab.internal/version\": context deadline exceeded");

        // Then
        Assert.Equal("10.96.0.1:443", dial);
        Assert.Equal("api.lab.internal:443", url);
    }

    [Fact]
    public void CountsUnhandledErrorAsTheApiFailureJustBeforeIt()
    {
        // Given: 1.11.3+ logs the failed list, then a bare "Unhandled Error" without the error object
        var classifier = new CoreDnsLogClassifier();
        classifier.Classify(1, null, "[INFO] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.29.3/tools/cache/reflector.go:243: failed to list *v1.Service: Get \"https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0\": dial tcp 10.96.0.1:443: i/o timeout");

        // When
        var unhandled = classifier.Classify(2, null, "[ERROR] plugin/kubernetes: Unhandled Error");
        var lone = new CoreDnsLogClassifier().Classify(1, null, "[ERROR] plugin/kubernetes: Unhandled Error");

        // Then
        Assert.Equal(CoreDnsLogClass.ApiServerUnreachable, unhandled.Class);
        Assert.Contains("10.96.0.1:443", unhandled.Detail, StringComparison.Ordinal);
        Assert.Equal(CoreDnsLogClass.OtherError, lone.Class);
    }

    [Fact]
    public void AReflectorFailureThatIsNotANetworkErrorIsNotApiServerUnreachable()
    {
        // Given
        var classifier = new CoreDnsLogClassifier();

        // When
        var entry = classifier.Classify(1, null, "[ERROR] plugin/kubernetes: pkg/mod/k8s.io/client-go@v0.27.4/tools/cache/reflector.go:231: Failed to watch *v1.Service: the server has asked for the client to provide credentials (get services)");

        // Then
        Assert.Equal(CoreDnsLogClass.OtherError, entry.Class);
    }
}
