using KubeTriage.Findings;

namespace KubeTriage.Wire.Analyzers;

/// <summary>
/// <c>dns.unexpected-answer</c> (with <c>--expect</c>): a resolver answered a name that has
/// <c>resolvesTo</c> ranges with an address outside all of them. One finding per name, citing each
/// resolver's answer and when it came.
/// </summary>
public sealed class DnsUnexpectedAnswerAnalyzer : IAnalyzer<CaptureContext>
{
    public string Id => FindingIds.DnsUnexpectedAnswer;

    public string Title => "DNS answers outside the expected ranges";

    public IEnumerable<Finding> Analyze(CaptureContext context)
    {
        var evidence = context.Evidence;
        foreach (var byName in ExpectationMatch.UnexpectedAnswers(evidence, context.Expectations).GroupBy(u => u.Answer.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var answers = byName.OrderBy(u => u.Answer.FirstTimeNs).ToList();
            var dependency = answers[0].Dependency;
            var expected = string.Join(", ", dependency.ResolvesTo);
            var outside = answers.SelectMany(u => u.Outside).Distinct().ToList();
            var lines = answers.Take(5).Select(u =>
                $"{u.Answer.Server} answered {u.Answer.Name} {DnsNames.TypeName(u.Answer.Type)} → {string.Join(", ", u.Answer.Addresses)}"
                + $" at {WireText.Clock(u.Answer.FirstTimeNs)} (query {WireText.Frame(u.Answer.FirstQueryFrame, u.Answer.File)})"
                + (u.Answer.Count > 1 ? $", {u.Answer.Count} times" : string.Empty)).ToList();
            lines.Add($"expected {expected} (expectations line {dependency.Line})");
            var used = outside.Where(a => Capture.Primitives.NetAddress.TryParse(a, out var ip) && evidence.Peer(ip) is { Packets: > 0 }).ToList();
            if (used.Count > 0)
            {
                lines.Add($"the pod then talked to {string.Join(", ", used)}");
            }

            var resolvers = answers.Select(u => u.Answer.Server).Distinct().OrderBy(s => s, AddressOrder.Instance).ToList();
            yield return new Finding(
                Id,
                Severity.Warning,
                $"{byName.Key} resolved to {string.Join(", ", outside)}, outside {expected}",
                byName.Key,
                lines,
                $"Fix the record for {byName.Key} on the DNS server that serves it (the answer came from {string.Join(", ", resolvers)};"
                + " when that is the cluster DNS, the wrong record is on the upstream it forwards to). Then check every resolver:\n"
                + string.Join('\n', resolvers.Select(r => $"  kubetriage dns {byName.Key} --resolver {r}"))
                + $"\n  kubetriage dns {byName.Key} --expect <expectations file>   # asks cluster DNS and each upstream");
        }
    }
}
