namespace KubeTriage.Findings;

/// <summary>
/// One thing that is wrong. <see cref="Id"/> is a stable dotted id from the contract
/// (e.g. <c>tcp.connect-no-reply</c>); <see cref="Subject"/> says what it is about (a peer, a pod, a NIC);
/// <see cref="Evidence"/> holds lines a human can check (packet times, a rule, a log line);
/// <see cref="Remediation"/> is a command a human can run; <see cref="CausedBy"/> names the ids of
/// findings that explain this one; <see cref="Node"/> ties it to a node when known.
/// </summary>
public sealed record Finding(
    string Id,
    Severity Severity,
    string Title,
    string Subject,
    IReadOnlyList<string> Evidence,
    string Remediation)
{
    public IReadOnlyList<string> CausedBy { get; init; } = [];

    public string? Node { get; init; }
}
