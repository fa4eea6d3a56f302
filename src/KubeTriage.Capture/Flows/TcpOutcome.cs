namespace KubeTriage.Capture.Flows;

/// <summary>How a TCP connection's opening went, in Zeek's terms where they exist.</summary>
public enum TcpOutcome
{
    /// <summary>SYN, SYN-ACK and data or ACK seen (Zeek SF/S1).</summary>
    Established,
    /// <summary>SYNs sent, nothing came back (Zeek S0).</summary>
    NoReply,
    /// <summary>SYN answered by RST (Zeek REJ).</summary>
    Refused,
    /// <summary>The capture started after the handshake.</summary>
    MidStream,
    /// <summary>SYN-ACK seen without the client's SYN (capture started mid-handshake).</summary>
    HalfOpen,
}
