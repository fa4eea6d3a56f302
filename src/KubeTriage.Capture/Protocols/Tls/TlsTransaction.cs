using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>
/// A TLS handshake seen on a connection: the ClientHello (its time, frame and server name indication if it had one),
/// the version the server chose, and how the handshake ended.
/// </summary>
public sealed record TlsTransaction(long TimeNs, WireEndpoint Client, WireEndpoint Server, string? Sni, ushort LegacyVersion, long Frame, string File)
{
    /// <summary>The version the ServerHello chose (0x0304 TLS 1.3, 0x0303 TLS 1.2), or 0 when none was seen.</summary>
    public ushort Version { get; init; }

    public TlsHandshakeOutcome Outcome { get; init; }

    /// <summary>The alert's description when <see cref="Outcome"/> is an alert sent in the clear; null when it was encrypted.</summary>
    public byte? Alert { get; init; }

    /// <summary>When and in which frame the handshake was decided (the alert, the Finished), or 0 when it was not.</summary>
    public long EndNs { get; init; }

    public long EndFrame { get; init; }

    /// <summary>True when the server sent anything after the ClientHello (a record, or bytes that are not TLS).</summary>
    public bool ServerAnswered { get; init; }

    /// <summary>True when the handshake failed: an alert from either side, a server that does not speak TLS, or one that closed on the ClientHello.</summary>
    public bool Failed => Outcome is TlsHandshakeOutcome.ClientAlert or TlsHandshakeOutcome.ServerAlert or TlsHandshakeOutcome.ServerNotTls
        or TlsHandshakeOutcome.ServerClosed;

    /// <summary>"TLS 1.3", "TLS 1.2", …, or null when the server chose none.</summary>
    public string? VersionName => Version switch
    {
        0x0304 => "TLS 1.3",
        0x0303 => "TLS 1.2",
        0x0302 => "TLS 1.1",
        0x0301 => "TLS 1.0",
        0x0300 => "SSL 3.0",
        0 => null,
        _ => $"version 0x{Version:x4}",
    };
}
