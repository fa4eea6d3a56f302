namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>How a TLS handshake ended, as far as the capture shows it.</summary>
public enum TlsHandshakeOutcome
{
    /// <summary>The capture ended, or lost bytes, before the handshake was decided.</summary>
    Unknown,

    /// <summary>Both sides went on to encrypted traffic: the client's Finished, or TLS 1.2's two ChangeCipherSpecs.</summary>
    Completed,

    /// <summary>The client aborted the handshake with an alert (its description when it was in the clear).</summary>
    ClientAlert,

    /// <summary>The server aborted the handshake with an alert (its description when it was in the clear).</summary>
    ServerAlert,

    /// <summary>The server answered the ClientHello with bytes that are not TLS (a plain-text service on the port).</summary>
    ServerNotTls,

    /// <summary>
    /// The server reset or closed the connection without answering the ClientHello (an egress firewall or proxy that
    /// filters by server name, a server that drops what it cannot serve). Told from the connection's end, not the stream.
    /// </summary>
    ServerClosed,
}
