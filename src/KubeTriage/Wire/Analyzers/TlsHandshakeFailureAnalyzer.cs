using System.Globalization;
using System.Text;
using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Tls;
using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>tls.handshake-failure</c>: TLS handshakes between the pod and a server failed, so the app never got to send its
/// request: the client rejected the server's certificate (an untrusted CA, expired, another name), the server refused
/// the client (no common version or cipher, an unknown server name, a missing or rejected client certificate), or the
/// port does not speak TLS at all. Read from the alerts on the wire: in the clear before a side's keys are in use (every
/// TLS 1.2 rejection, a TLS 1.3 server's refusal of the ClientHello), else as an encrypted alert record, whose
/// description the capture cannot show (a TLS 1.3 client rejecting the certificate). One finding per server endpoint and
/// server name. Critical when no handshake with it completed, warning when some did. Linked to
/// <c>dns.unexpected-answer</c> when the server's address came from a DNS answer outside the expected ranges (a
/// certificate for another name is what a wrong address gets).
/// </summary>
public sealed class TlsHandshakeFailureAnalyzer : IAnalyzer<CaptureContext>
{
    private const int MaxExamples = 3;

    public string Id => FindingIds.TlsHandshakeFailure;

    public string Title => "TLS handshakes that failed";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        var unexpected = ExpectationMatch.UnexpectedAnswers(evidence, context.Expectations).ToList();
        var servers = evidence.TlsHandshakes
            .Where(g => evidence.IsPod(g.Client) || evidence.IsPod(g.Server.Address))
            .GroupBy(g => (g.Server, Sni: g.Sni.ToLowerInvariant()))
            .Where(s => s.Any(g => g.Failed > 0))
            .OrderBy(s => s.Key.Server.Address, AddressOrder.Instance).ThenBy(s => s.Key.Server.Port).ThenBy(s => s.Key.Sni, StringComparer.Ordinal);
        foreach (var server in servers)
        {
            yield return Judge(evidence, server.Key.Server, server.Key.Sni, server.ToList(), unexpected);
        }
    }

    private Finding Judge(CaptureEvidence evidence, WireEndpoint server, string sni, List<TlsHandshakeGroup> groups, List<ExpectationMatch.UnexpectedAnswer> unexpected)
    {
        long decided = groups.Sum(g => g.Decided);
        long failed = groups.Sum(g => g.Failed);
        var kinds = groups.SelectMany(g => g.Failures)
            .GroupBy(f => (f.Outcome, f.Alert))
            .Select(k => new TlsFailureKind
            {
                Outcome = k.Key.Outcome,
                Alert = k.Key.Alert,
                Count = k.Sum(f => f.Count),
                FirstTimeNs = k.Min(f => f.FirstTimeNs),
                LastTimeNs = k.Max(f => f.LastTimeNs),
                Examples = k.SelectMany(f => f.Examples).OrderBy(t => t.TimeNs).ThenBy(t => t.Frame).Take(MaxExamples).ToList(),
            })
            .OrderByDescending(k => k.Count).ThenBy(k => k.FirstTimeNs).ToList();
        bool podIsServer = evidence.IsPod(server.Address);
        var clients = groups.Select(g => g.Client).Distinct().Order(AddressOrder.Instance).ToList();
        var clientText = podIsServer ? WireText.List(clients.Select(c => c.ToString())) : "the pod";
        var serverText = podIsServer ? $"the pod's port {server.Port}" : server.ToString();
        var named = sni.Length > 0 ? $"{serverText} ({sni})" : serverText;

        var lines = new List<string>
        {
            $"{failed} of {WireText.Count(decided, "TLS handshake")} between {(podIsServer ? clientText : "the pod")} and {named} failed",
        };
        foreach (var kind in kinds)
        {
            lines.Add($"{Describe(kind, podIsServer)} × {kind.Count}, first at {WireText.Clock(kind.FirstTimeNs)}"
                + (kind.Count > 1 ? $", last at {WireText.Clock(kind.LastTimeNs)}" : string.Empty));
        }

        foreach (var t in kinds.SelectMany(k => k.Examples).OrderBy(t => t.TimeNs).ThenBy(t => t.Frame).Take(MaxExamples))
        {
            lines.Add($"{t.Client} → {t.Server}: ClientHello" + (t.Sni is { Length: > 0 } name ? $" for {name}" : " without a server name")
                + $" at {WireText.Clock(t.TimeNs)} ({WireText.Frame(t.Frame, t.File)})"
                + (t.VersionName is { } v ? $", {v} chosen" : string.Empty)
                + $", {Ended(t)} after {WireText.Duration(t.EndNs - t.TimeNs)} (frame {t.EndFrame.ToString(CultureInfo.InvariantCulture)})");
        }

        var causes = podIsServer ? [] : unexpected.Where(u => u.Outside.Contains(server.Address.ToString())).ToList();
        foreach (var cause in causes.Take(2))
        {
            lines.Add($"the pod got this address from DNS: {cause.Answer.Server} answered {cause.Answer.Name} → {string.Join(", ", cause.Answer.Addresses)}"
                + $" at {WireText.Clock(cause.Answer.FirstTimeNs)}, outside the expected {string.Join(", ", cause.Dependency.ResolvesTo)}");
        }

        var main = kinds[0];
        return new Finding(
            Id,
            failed == decided ? Severity.Critical : Severity.Warning,
            $"{Headline(main, podIsServer, named)}: {failed} of {WireText.Count(decided, "TLS handshake")} failed",
            named,
            lines,
            Remediation(server, sni, kinds, podIsServer, causes.Count > 0))
        {
            CausedBy = causes.Count > 0 ? [FindingIds.DnsUnexpectedAnswer] : [],
        };
    }

    private static string Headline(TlsFailureKind kind, bool podIsServer, string named)
    {
        var client = podIsServer ? "a client" : "the pod";
        return kind.Outcome switch
        {
            TlsHandshakeOutcome.ClientAlert when kind.Alert is { } a && TlsAlert.IsCertificateRejection(a) =>
                $"{Capitalize(client)} rejected the certificate of {named} ({TlsAlert.Name(a)})",
            TlsHandshakeOutcome.ClientAlert when kind.Alert is { } a => $"{Capitalize(client)} aborted the TLS handshake with {named} ({TlsAlert.Name(a)})",
            TlsHandshakeOutcome.ClientAlert => $"{Capitalize(client)} aborted the TLS handshake with {named} after its certificate (an encrypted alert)",
            TlsHandshakeOutcome.ServerAlert when kind.Alert is { } a => $"{Capitalize(named)} refused the TLS handshake ({TlsAlert.Name(a)})",
            TlsHandshakeOutcome.ServerAlert => $"{Capitalize(named)} refused the TLS handshake after the client's part (an encrypted alert)",
            TlsHandshakeOutcome.ServerClosed => $"{Capitalize(named)} closed the connection on the ClientHello without answering it",
            _ => $"{Capitalize(named)} does not speak TLS: it answered the ClientHello in plain text",
        };
    }

    /// <summary>"the pod sent the alert unknown_ca (the server's certificate is signed by a CA it does not trust)".</summary>
    private static string Describe(TlsFailureKind kind, bool podIsServer)
    {
        var (client, server) = podIsServer ? ("the client", "the pod") : ("the pod", "the server");
        return kind.Outcome switch
        {
            TlsHandshakeOutcome.ClientAlert when kind.Alert is { } a => $"{client} sent the alert {TlsAlert.Name(a)}{Meaning(a, "client")}",
            TlsHandshakeOutcome.ClientAlert =>
                $"{client} sent an encrypted alert right after {server}'s handshake (TLS 1.3 hides which; after the certificate it is most often unknown_ca, certificate_expired or a name mismatch)",
            TlsHandshakeOutcome.ServerAlert when kind.Alert is { } a => $"{server} sent the alert {TlsAlert.Name(a)}{Meaning(a, "server")}",
            TlsHandshakeOutcome.ServerClosed =>
                $"{server} reset or closed the connection right after the ClientHello, without a word of TLS (an egress firewall or proxy filtering by server name, or a server that drops names it does not serve)",
            TlsHandshakeOutcome.ServerAlert =>
                $"{server} answered {client}'s part of the handshake with an encrypted alert (most often mutual TLS: a client certificate it requires is missing or not trusted)",
            _ => $"{server} answered the ClientHello with bytes that are not TLS",
        };
    }

    private static string Meaning(byte alert, string sender) => (alert, sender) switch
    {
        (48, _) => " (the peer's certificate is signed by a CA it does not trust)",
        (45, _) => " (the peer's certificate has expired)",
        (44, _) => " (the peer's certificate was revoked)",
        (42 or 43 or 46, _) => " (it did not accept the peer's certificate: wrong name, bad chain or usage)",
        (116, _) => " (it requires a client certificate and got none)",
        (40, "server") => " (no version, cipher suite or group both sides support, or a client certificate it requires is missing)",
        (70, _) => " (no TLS version both sides support)",
        (71, _) => " (the client offered only ciphers too weak for the server)",
        (112, _) => " (it does not serve the server name the client asked for)",
        (120, _) => " (no application protocol (ALPN) both sides support)",
        (80, _) => " (an internal error: see its log)",
        (0, _) => " (it closed the connection during the handshake)",
        _ => string.Empty,
    };

    private static string Ended(TlsTransaction t) => t.Outcome switch
    {
        TlsHandshakeOutcome.ClientAlert => t.Alert is { } a ? $"the client's alert {TlsAlert.Name(a)}" : "the client's encrypted alert",
        TlsHandshakeOutcome.ServerAlert => t.Alert is { } a ? $"the server's alert {TlsAlert.Name(a)}" : "the server's encrypted alert",
        TlsHandshakeOutcome.ServerClosed => "the server's reset or close",
        _ => "a plain-text answer",
    };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Remediation(WireEndpoint server, string sni, List<TlsFailureKind> kinds, bool podIsServer, bool wrongAnswer)
    {
        var name = sni.Length > 0 ? sni : server.Address.ToString();
        var connect = $"openssl s_client -connect {server} -servername {name} </dev/null";
        var text = new StringBuilder();
        if (wrongAnswer)
        {
            text.Append($"The pod reaches {server.Address} because DNS gave it an address outside the expected ranges ({FindingIds.DnsUnexpectedAnswer}):"
                + " that server's certificate is not for the name the pod asked for; fix the record first.\n");
        }

        bool certificate = kinds.Any(k => k.Outcome == TlsHandshakeOutcome.ClientAlert && (k.Alert is null || TlsAlert.IsCertificateRejection(k.Alert.Value)));
        bool refused = kinds.Any(k => k.Outcome == TlsHandshakeOutcome.ServerAlert || (k.Outcome == TlsHandshakeOutcome.ClientAlert && k.Alert is { } a && !TlsAlert.IsCertificateRejection(a)));
        bool plain = kinds.Any(k => k.Outcome == TlsHandshakeOutcome.ServerNotTls);
        bool closed = kinds.Any(k => k.Outcome == TlsHandshakeOutcome.ServerClosed);
        if (certificate)
        {
            text.Append($"The client does not trust the certificate {server} presents. See the chain, names and dates it sends, and compare with the client's CA bundle:\n")
                .Append($"  {connect} -showcerts 2>&1 | grep -E 'subject=|issuer=|verify'   # from {(podIsServer ? "the client" : "the pod")}: who signed it, and why verification fails\n")
                .Append($"  {connect} 2>/dev/null | openssl x509 -noout -dates -ext subjectAltName   # expiry and the names it is valid for\n")
                .Append("  kubectl get secret -A --field-selector type=kubernetes.io/tls   # the certificate secrets (renewed? cert-manager Certificate Ready?)\n")
                .Append("  kubectl get peerauthentication,destinationrule -A   # with a service mesh: mTLS modes that must match on both sides\n");
        }

        var serverAlerts = kinds.Where(k => k.Outcome == TlsHandshakeOutcome.ServerAlert).Select(k => k.Alert).ToHashSet();
        if (refused)
        {
            text.Append($"{server} refused the handshake: compare what it accepts with what the client offers:\n")
                .Append($"  {connect} -tls1_2   # does it accept TLS 1.2?\n")
                .Append($"  {connect} -tls1_3   # and TLS 1.3?\n")
                .Append($"  nmap --script ssl-enum-ciphers -p {server.Port} {server.Address}   # its versions and cipher suites\n");
            if (serverAlerts.Contains(112))
            {
                text.Append($"unrecognized_name: {server} (or the ingress in front of it) serves no certificate for {(sni.Length > 0 ? sni : "a ClientHello without a server name")}: use a name it serves, or add this one to it.\n");
            }

            if (serverAlerts.Contains(116) || serverAlerts.Contains(40) || serverAlerts.Contains(42) || serverAlerts.Contains(48) || serverAlerts.Contains(null))
            {
                text.Append($"A server that refuses the client's part of the handshake (certificate_required, handshake_failure after a certificate request, bad_certificate, unknown_ca, or an encrypted alert in TLS 1.3) wants mutual TLS:"
                    + $" the client must present a certificate signed by a CA {server} trusts ({connect} -cert client.crt -key client.key to try one).\n");
            }
        }

        if (closed)
        {
            text.Append($"Something closed the connection on the ClientHello for {name}. An egress firewall or proxy that allows only listed server names does this; so does a server"
                    + " (or the load balancer in front of it) that drops names it does not serve:\n")
                .Append($"  {connect}   # from {(podIsServer ? "the client" : "the pod")}: the same reset? then try another name on the same address\n")
                .Append("  kubectl get networkpolicy -A; kubectl get serviceentry,sidecar -A 2>/dev/null   # egress policies and a mesh's registry of allowed hosts\n")
                .Append($"  the egress firewall's or proxy's log for {name}: its rule that denied the name (allow-list it there)\n");
        }

        if (plain)
        {
            text.Append($"{server} speaks plain text on this port: use http:// (or the protocol it speaks) there, or the port that serves TLS:\n")
                .Append($"  curl -sv http://{server}/ -o /dev/null   # what answers\n")
                .Append($"  kubectl get svc -A -o wide | grep -w {server.Address}   # the Service's ports and target ports\n");
        }

        return text.ToString().TrimEnd('\n');
    }
}
