using System.Globalization;
using KubeTriage.Capture;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Findings;
using KubeTriage.Lab;
using KubeTriage.Wire;

namespace KubeTriage.Tests.Lab;

/// <summary>
/// TLS handshakes that fail, over real OpenSSL: a client namespace (the pod, 198.19.246.2) and a server namespace
/// (198.19.246.3) on one link, tcpdump on the client's NIC. The server (python3's ssl) holds a self-signed certificate
/// for tls.lab made with openssl for the test: TLS 1.2 or 1.3 on port 8443, TLS 1.3 only on 8444, mutual TLS (a client
/// certificate required) on 8445, a server that resets (8446) or closes (8447) the connection on the ClientHello, and
/// plain text on 8080 (an HTTP 400 to anything). The client (python3's ssl, verifying as usual) connects five times: without the
/// certificate in its trust store over TLS 1.3 and TLS 1.2 (unknown_ca in the clear both times: OpenSSL checks the
/// certificate before its own handshake keys are in use, even in TLS 1.3), with it
/// (completed), limited to TLS 1.2 against 8444 (the server's protocol_version), without a client certificate to 8445
/// over TLS 1.3 (the server's encrypted alert after the client's Finished) and TLS 1.2 (handshake_failure in the
/// clear), to 8446 and 8447 (closed without a word of TLS), and to 8080 (not TLS). Addresses are
/// from 198.18.0.0/15 and exist only in the namespaces the test makes and removes.
/// </summary>
public sealed class TlsHandshakeCaptureTests() : NamespaceLabTest("kttls", "make network namespaces", "ip", "tcpdump", "python3", "openssl")
{
    private const string Client = "198.19.246.2";
    private const string Server = "198.19.246.3";
    private const string Name = "tls.lab";

    private const string ServerScript = """
        import socket, ssl, struct, sys, threading
        addr, cert, key = sys.argv[1], sys.argv[2], sys.argv[3]

        def listen(port):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, port))
            s.listen(8)
            return s

        def tls(port, minimum, mutual=False):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            if mutual:
                ctx.verify_mode = ssl.CERT_REQUIRED
                ctx.load_verify_locations(cert)
            ctx.minimum_version = minimum
            s = listen(port)
            while True:
                c, _ = s.accept()
                c.settimeout(5)
                try:
                    with ctx.wrap_socket(c, server_side=True) as t:
                        t.recv(100)
                        t.sendall(b"pong\n")
                except (ssl.SSLError, OSError):
                    c.close()

        def closing(port, reset):
            s = listen(port)
            while True:
                c, _ = s.accept()
                c.settimeout(5)
                try:
                    c.recv(4096)
                    if reset:
                        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                except OSError:
                    pass
                c.close()

        def plain(port):
            s = listen(port)
            while True:
                c, _ = s.accept()
                c.settimeout(5)
                try:
                    c.recv(4096)
                    c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass
                c.close()

        threading.Thread(target=tls, args=(8443, ssl.TLSVersion.TLSv1_2), daemon=True).start()
        threading.Thread(target=tls, args=(8444, ssl.TLSVersion.TLSv1_3), daemon=True).start()
        threading.Thread(target=tls, args=(8445, ssl.TLSVersion.TLSv1_2, True), daemon=True).start()
        threading.Thread(target=closing, args=(8446, True), daemon=True).start()
        threading.Thread(target=closing, args=(8447, False), daemon=True).start()
        threading.Thread(target=plain, args=(8080,), daemon=True).start()
        threading.Event().wait()
        """;

    /// <summary>Arguments: address, port, server name, highest version (1.2 or 1.3), CA file or "-" (the system's). Prints "ok" or why not.</summary>
    private const string ClientScript = """
        import socket, ssl, sys, time
        host, port, name, highest, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
        ctx = ssl.create_default_context(cafile=None if cafile == "-" else cafile)
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2 if highest == "1.2" else ssl.TLSVersion.TLSv1_3
        c = socket.create_connection((host, port), timeout=5)
        try:
            with ctx.wrap_socket(c, server_hostname=name) as t:
                t.sendall(b"ping\n")
                t.recv(100)
                print("ok")
        except ssl.SSLCertVerificationError as e:
            print("verify")
        except ssl.SSLError as e:
            print("ssl " + str(e.reason))
        except OSError as e:
            print("os " + type(e).__name__)
        """;

    private string CertFile => Path.Combine(Temp.FullName, "cert.pem");

    protected override async Task Build()
    {
        await TestNamespaces.Run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(Temp.FullName, "key.pem"), "-out", CertFile, "-days", "2", "-subj", $"/CN={Name}", "-addext", $"subjectAltName=DNS:{Name}");
        await Namespaces.AddPair("c", Client, "s", Server);
    }

    [SkippableFact]
    public async Task ARejectedCertificateARefusedVersionAndAPlainTextPortAreFoundFromTheHandshakes()
    {
        Skip.If(SkipReason is not null, SkipReason);

        // Given: the servers answer (checked before the capture starts)
        await using var server = NamespaceHttpServer.StartScript(ServerNs, ServerScript, Server, CertFile, Path.Combine(Temp.FullName, "key.pem"));
        await WaitForServers();
        var pcap = Path.Combine(Temp.FullName, "c0.pcap");

        // When
        var outcomes = new List<string>();
        await using (var capture = await LabCapture.Start(ClientNs, "c0", pcap))
        {
            outcomes.Add(await Connect(8443, "1.3", "-"));
            outcomes.Add(await Connect(8443, "1.2", "-"));
            outcomes.Add(await Connect(8443, "1.3", CertFile));
            outcomes.Add(await Connect(8444, "1.2", CertFile));
            outcomes.Add(await Connect(8445, "1.3", CertFile));
            outcomes.Add(await Connect(8445, "1.2", CertFile));
            outcomes.Add(await Connect(8446, "1.3", CertFile));
            outcomes.Add(await Connect(8447, "1.3", CertFile));
            outcomes.Add(await Connect(8080, "1.3", CertFile));
        }

        var (evidence, findings) = LabCaptureAnalysis.Analyze(pcap, Client);

        // Then: what the client saw
        Assert.Equal("verify", outcomes[0]);
        Assert.Equal("verify", outcomes[1]);
        Assert.Equal("ok", outcomes[2]);
        Assert.StartsWith("ssl ", outcomes[3], StringComparison.Ordinal);
        Assert.StartsWith("ssl ", outcomes[4], StringComparison.Ordinal);
        Assert.StartsWith("ssl ", outcomes[5], StringComparison.Ordinal);
        Assert.Equal("os ConnectionResetError", outcomes[6]);
        Assert.StartsWith("ssl ", outcomes[7], StringComparison.Ordinal);
        Assert.StartsWith("ssl ", outcomes[8], StringComparison.Ordinal);

        // and what the wire says of each handshake
        var handshakes = evidence.Tls.OrderBy(t => t.TimeNs).Select(t => (t.Server.Port, t.Outcome, t.Alert, t.VersionName)).ToList();
        Assert.Equal(
            [
                (8443, TlsHandshakeOutcome.ClientAlert, (byte?)48, "TLS 1.3"),
                (8443, TlsHandshakeOutcome.ClientAlert, (byte?)48, "TLS 1.2"),
                (8443, TlsHandshakeOutcome.Completed, null, "TLS 1.3"),
                (8444, TlsHandshakeOutcome.ServerAlert, (byte?)70, null),
                (8445, TlsHandshakeOutcome.ServerAlert, null, "TLS 1.3"),
                (8445, TlsHandshakeOutcome.ServerAlert, (byte?)40, "TLS 1.2"),
                (8446, TlsHandshakeOutcome.ServerClosed, null, null),
                (8447, TlsHandshakeOutcome.ServerClosed, null, null),
                (8080, TlsHandshakeOutcome.ServerNotTls, null, null),
            ],
            handshakes);
        Assert.All(evidence.Tls, t => Assert.Equal(Name, t.Sni));

        var tls = findings.Where(f => f.Id == FindingIds.TlsHandshakeFailure).ToList();
        Assert.Equal([$"{Server}:8080 ({Name})", $"{Server}:8443 ({Name})", $"{Server}:8444 ({Name})", $"{Server}:8445 ({Name})", $"{Server}:8446 ({Name})", $"{Server}:8447 ({Name})"], tls.Select(f => f.Subject).Order(StringComparer.Ordinal));
        var plain = Assert.Single(tls, f => f.Subject.StartsWith($"{Server}:8080", StringComparison.Ordinal));
        Assert.Equal(Severity.Critical, plain.Severity);
        Assert.Equal($"{Server}:8080 ({Name}) does not speak TLS: it answered the ClientHello in plain text: 1 of 1 TLS handshake failed", plain.Title);
        var certificate = Assert.Single(tls, f => f.Subject.StartsWith($"{Server}:8443", StringComparison.Ordinal));
        Assert.Equal(Severity.Warning, certificate.Severity);
        Assert.Equal($"2 of 3 TLS handshakes between the pod and {Server}:8443 ({Name}) failed", certificate.Evidence[0]);
        Assert.Equal($"The pod rejected the certificate of {Server}:8443 ({Name}) (unknown_ca): 2 of 3 TLS handshakes failed", certificate.Title);
        Assert.StartsWith("the pod sent the alert unknown_ca (the peer's certificate is signed by a CA it does not trust) × 2, first at ", certificate.Evidence[1], StringComparison.Ordinal);
        Assert.Matches(@"^198\.19\.246\.2:\d+ → 198\.19\.246\.3:8443: ClientHello for tls\.lab at \S+ \(frame \d+ in c0\.pcap\), TLS 1\.3 chosen, the client's alert unknown_ca after \S+ (µs|ms) \(frame \d+\)$", certificate.Evidence[2]);
        Assert.Contains($"openssl s_client -connect {Server}:8443 -servername {Name}", certificate.Remediation, StringComparison.Ordinal);
        var version = Assert.Single(tls, f => f.Subject.StartsWith($"{Server}:8444", StringComparison.Ordinal));
        Assert.Equal(Severity.Critical, version.Severity);
        Assert.Equal($"{Server}:8444 ({Name}) refused the TLS handshake (protocol_version): 1 of 1 TLS handshake failed", version.Title);

        var mutual = Assert.Single(tls, f => f.Subject.StartsWith($"{Server}:8445", StringComparison.Ordinal));
        Assert.Equal(Severity.Critical, mutual.Severity);
        Assert.Equal($"{Server}:8445 ({Name}) refused the TLS handshake after the client's part (an encrypted alert): 2 of 2 TLS handshakes failed", mutual.Title);
        Assert.Contains(mutual.Evidence, l => l.StartsWith("the server sent the alert handshake_failure (no version, cipher suite or group both sides support, or a client certificate it requires is missing) × 1", StringComparison.Ordinal));
        Assert.Contains("wants mutual TLS", mutual.Remediation, StringComparison.Ordinal);

        var reset = Assert.Single(tls, f => f.Subject.StartsWith($"{Server}:8446", StringComparison.Ordinal));
        Assert.Equal($"{Server}:8446 ({Name}) closed the connection on the ClientHello without answering it: 1 of 1 TLS handshake failed", reset.Title);
        Assert.Contains("egress firewall or proxy", reset.Remediation, StringComparison.Ordinal);

        var json = CaptureReport.From(evidence).Tls.OrderBy(t => t.Time, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [("clientAlert", "unknown_ca"), ("clientAlert", "unknown_ca"), ("completed", null), ("serverAlert", "protocol_version"), ("serverAlert", "encrypted"), ("serverAlert", "handshake_failure"), ("serverClosed", null), ("serverClosed", null), ("serverNotTls", null)],
            json.Select(t => (t.Outcome, t.Alert)));
    }

    private async Task WaitForServers()
    {
        foreach (var port in new[] { "8443", "8444", "8445", "8446", "8447", "8080" })
        {
            var probe = await TestNamespaces.Retry(Tools.Ip, "netns", "exec", ClientNs, "python3", "-c",
                "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()", Server, port);
            Assert.True(probe.Succeeded, probe.ToString());
        }
    }

    private async Task<string> Connect(int port, string highest, string caFile)
    {
        var result = await ProcessRunner.Run(Tools.Ip, ["netns", "exec", ClientNs, "python3", "-c", ClientScript, Server,
            port.ToString(CultureInfo.InvariantCulture), Name, highest, caFile]);
        Assert.True(result.Succeeded, result.ToString());
        return result.StdOut.Trim();
    }
}
