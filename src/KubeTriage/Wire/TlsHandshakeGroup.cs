using KubeTriage.Capture.Primitives;
using KubeTriage.Capture.Protocols.Tls;

namespace KubeTriage.Wire;

/// <summary>
/// The TLS handshakes of one client with one server endpoint for one server name (SNI, empty when the ClientHello had none), counted
/// over every handshake the capture decided (not only the records kept): how many completed, and the failed ones by
/// how they failed (<see cref="TlsFailureKind"/>).
/// </summary>
public sealed record TlsHandshakeGroup
{
    public required NetAddress Client { get; init; }

    public required WireEndpoint Server { get; init; }

    public string Sni { get; init; } = string.Empty;

    /// <summary>Handshakes that completed or failed (not those the capture cut short).</summary>
    public long Decided { get; init; }

    public long Completed { get; init; }

    /// <summary>The failed handshakes, one entry per way of failing, the most frequent first.</summary>
    public IReadOnlyList<TlsFailureKind> Failures { get; init; } = [];

    public long Failed => Decided - Completed;
}

/// <summary>Failed handshakes of one kind: who aborted (or a server that does not speak TLS), and the alert when it was in the clear.</summary>
public sealed record TlsFailureKind
{
    public required TlsHandshakeOutcome Outcome { get; init; }

    /// <summary>The alert's description when it was sent in the clear; null when it was encrypted (or for <see cref="TlsHandshakeOutcome.ServerNotTls"/>).</summary>
    public byte? Alert { get; init; }

    public long Count { get; init; }

    public long FirstTimeNs { get; init; }

    public long LastTimeNs { get; init; }

    /// <summary>The earliest handshakes that failed this way, in time order.</summary>
    public IReadOnlyList<TlsTransaction> Examples { get; init; } = [];
}
