using KubeTriage.Capture.Flows;
using KubeTriage.Names;
using KubeTriage.Wire;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire;

public class ExpectationsDrafterTests
{
    private const string Pod = "198.18.1.20";

    [Fact]
    public void PeersBecomeDependenciesByNameWithTheirRangesOrByAddress()
    {
        // Given: a healthy run: the object store by name (two answers in one /24), the database by address
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        builder.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: "198.18.3.2"));
        builder.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 10, answers: "198.18.3.7"));
        builder.OnHttp(Http(Pod, "198.18.3.2", "oss.example.com", "/a", 20, 10));
        builder.OnTcpConnection(Connect(Pod, 40001, "198.18.2.20", 3306, TcpOutcome.Established, 30, protocol: "mysql"));
        builder.OnTcpConnection(Connect("198.18.0.10", 40002, Pod, 8080, TcpOutcome.Established, 40));

        // When
        var draft = ExpectationsDrafter.Draft(builder.Build(), 750);

        // Then
        Assert.Equal(
            "dependencies:                     # every peer the app should talk to\n"
            + "  - name: oss.example.com\n"
            + "    resolvesTo: [198.18.3.0/24]\n"
            + "  - name: 198.18.2.10\n"
            + "    address: 198.18.2.10:53\n"
            + "  - name: 198.18.2.20\n"
            + "    address: 198.18.2.20:3306\n"
            + "slowQueryMs: 750\n",
            draft.ToYaml().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TheDraftLoadsBackAndDeclaresEveryPeerOfTheCapture()
    {
        // Given
        var builder = new CaptureEvidenceBuilder(new CaptureEvidenceOptions { PodIps = [Ip(Pod)] });
        builder.OnDns(Dns(Pod, "198.18.2.10", "example-api.com", 0, answers: "2001:db8:4::10"));
        builder.OnTcpConnection(Connect(Pod, 40001, "2001:db8:4::10", 443, TcpOutcome.Established, 10, protocol: "tls"));
        var evidence = builder.Build();

        // When
        var yaml = ExpectationsDrafter.Draft(evidence, 1000).ToYaml();
        var loaded = ExpectationsLoader.Parse(yaml, "draft.yaml");

        // Then
        Assert.Equal(["2001:db8:4::/64"], loaded.ForName("example-api.com")!.ResolvesTo.Select(n => n.ToString()));
        Assert.All(evidence.Peers.Where(p => p.ServesPod), p => Assert.NotNull(ExpectationMatch.DependencyOf(p, loaded)));
    }
}
