using KubeTriage.Capture;
using KubeTriage.Capture.Flows;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Findings;
using KubeTriage.Wire.Analyzers;
using static KubeTriage.Tests.Wire.Synthetic;

namespace KubeTriage.Tests.Wire.Analyzers;

public class TlsHandshakeFailureAnalyzerTests
{
    private const string Pod = AnalyzerCase.Pod;
    private const string Storage = "198.19.249.132";
    private const string Other = "198.18.0.50";

    public static TheoryData<AnalyzerCase> Cases => new()
    {
        new("completed handshakes", s =>
        {
            Tls(s, Pod, Storage, TlsHandshakeOutcome.Completed);
            Tls(s, Pod, Storage, TlsHandshakeOutcome.Completed);
        }, []),
        new("one of three rejected by the pod", s =>
        {
            Tls(s, Pod, Storage, TlsHandshakeOutcome.Completed);
            Tls(s, Pod, Storage, TlsHandshakeOutcome.Completed);
            Tls(s, Pod, Storage, TlsHandshakeOutcome.ClientAlert, alert: 45);
        }, ["warning 198.19.249.132:443 (oss.example.com)"]),
        new("every one refused by the server", s =>
        {
            Tls(s, Pod, Storage, TlsHandshakeOutcome.ServerAlert, alert: 40);
            Tls(s, Pod, Storage, TlsHandshakeOutcome.ServerAlert, alert: 40);
        }, ["critical 198.19.249.132:443 (oss.example.com)"]),
        new("cut short by the capture's end", s => Tls(s, Pod, Storage, TlsHandshakeOutcome.Unknown), []),
        new("between two other hosts", s => Tls(s, Other, Storage, TlsHandshakeOutcome.ClientAlert, alert: 48), []),
        new("a client rejects the pod's certificate", s => Tls(s, Other, Pod, TlsHandshakeOutcome.ClientAlert, alert: 42, port: 8443), ["critical the pod's port 8443 (oss.example.com)"]),
        new("one server name fails, another on the same endpoint works", s =>
        {
            Tls(s, Pod, Storage, TlsHandshakeOutcome.Completed, sni: "api.example.com");
            Tls(s, Pod, Storage, TlsHandshakeOutcome.ServerAlert, alert: 112);
        }, ["critical 198.19.249.132:443 (oss.example.com)"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RaisesOneFindingPerServerAndName(AnalyzerCase scenario)
    {
        // When
        var findings = AnalyzerCase.Run(new TlsHandshakeFailureAnalyzer(), scenario.Context());

        // Then
        Assert.Equal(scenario.Expected, AnalyzerCase.Lines(findings));
        Assert.All(findings, f => Assert.Equal(FindingIds.TlsHandshakeFailure, f.Id));
    }

    [Fact]
    public void AnEncryptedAlertAfterTheServersTls13HandshakeIsTheCertificateAndAWrongDnsAnswerIsItsCause()
    {
        // Given: the pod resolved the storage name outside its expected range, and aborted the handshake with that server
        var scenario = new AnalyzerCase("wrong server", s =>
        {
            s.OnDns(Dns(Pod, "198.18.2.10", "oss.example.com", 0, answers: Storage));
            Tls(s, Pod, Storage, TlsHandshakeOutcome.ClientAlert, version: 0x0304);
        }, [], "dependencies:\n  - name: oss.example.com\n    resolvesTo: [198.18.3.0/24]\n");

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TlsHandshakeFailureAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("The pod aborted the TLS handshake with 198.19.249.132:443 (oss.example.com) after its certificate (an encrypted alert): 1 of 1 TLS handshake failed", finding.Title);
        Assert.StartsWith("the pod sent an encrypted alert right after the server's handshake (TLS 1.3 hides which;", finding.Evidence[1], StringComparison.Ordinal);
        Assert.Matches(@"^198\.18\.1\.20:40000 → 198\.19\.249\.132:443: ClientHello for oss\.example\.com at \S+ \(frame 4 in node\.pcapng\), TLS 1\.3 chosen, the client's encrypted alert after 3 ms \(frame 9\)$", finding.Evidence[2]);
        Assert.Equal([FindingIds.DnsUnexpectedAnswer], finding.CausedBy);
        Assert.StartsWith("The pod reaches 198.19.249.132 because DNS gave it an address outside the expected ranges", finding.Remediation, StringComparison.Ordinal);
        Assert.Contains("openssl s_client -connect 198.19.249.132:443 -servername oss.example.com </dev/null -showcerts", finding.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void APlainTextPortSaysToUseItsProtocol()
    {
        // Given
        var scenario = new AnalyzerCase("plain", s => Tls(s, Pod, Storage, TlsHandshakeOutcome.ServerNotTls, port: 8080), []);

        // When
        var finding = Assert.Single(AnalyzerCase.Run(new TlsHandshakeFailureAnalyzer(), scenario.Context()));

        // Then
        Assert.Equal("198.19.249.132:8080 (oss.example.com) does not speak TLS: it answered the ClientHello in plain text: 1 of 1 TLS handshake failed", finding.Title);
        Assert.Contains("curl -sv http://198.19.249.132:8080/ -o /dev/null", finding.Remediation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "critical 198.19.249.132:443 (oss.example.com)")]
    [InlineData(false, "")]
    public void AClientHelloTheServerResetTheConnectionOnIsAFailedHandshake(bool serverReset, string expected)
    {
        // Given: a ClientHello without an answer, then the connection's record: reset by the server, or by the client
        var scenario = new AnalyzerCase("closed", s =>
        {
            s.OnTls(new TlsTransaction(At(1), Ep(Pod, 40000), Ep(Storage, 443), "oss.example.com", 0x0303, 4, Synthetic.File));
            s.OnTcpConnection(Connect(Pod, 40000, Storage, 443, TcpOutcome.Established, 0) with
            {
                BytesToClient = 0, FirstResetNs = At(2), FirstResetFrame = 6, FirstResetByServer = serverReset,
            });
        }, []);
        var context = scenario.Context();

        // When
        var findings = AnalyzerCase.Run(new TlsHandshakeFailureAnalyzer(), context);

        // Then
        Assert.Equal(expected.Length == 0 ? [] : [expected], AnalyzerCase.Lines(findings));
        var t = Assert.Single(context.Evidence.Tls);
        Assert.Equal(serverReset ? (TlsHandshakeOutcome.ServerClosed, 6L) : (TlsHandshakeOutcome.Unknown, 0L), (t.Outcome, t.EndFrame));
        if (serverReset)
        {
            Assert.Equal("198.19.249.132:443 (oss.example.com) closed the connection on the ClientHello without answering it: 1 of 1 TLS handshake failed", findings[0].Title);
        }
    }

    private static void Tls(ICaptureSink sink, string client, string server, TlsHandshakeOutcome outcome, byte? alert = null, ushort port = 443,
        string sni = "oss.example.com", ushort version = 0x0303)
    {
        sink.OnTls(new TlsTransaction(At(1), Ep(client, 40000), Ep(server, port), sni, 0x0303, 4, Synthetic.File)
        {
            Outcome = outcome,
            Alert = alert,
            Version = outcome == TlsHandshakeOutcome.ServerNotTls || (outcome == TlsHandshakeOutcome.ServerAlert && alert is not null) ? (ushort)0 : version,
            EndNs = At(4),
            EndFrame = 9,
        });
    }
}
