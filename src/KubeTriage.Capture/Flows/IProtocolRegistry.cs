namespace KubeTriage.Capture.Flows;

/// <summary>
/// Chooses an application dissector for a flow, by port and by the shape of its first bytes
/// (MySQL runs on ports other than 3306; pooled connections start mid-stream).
/// </summary>
public interface IProtocolRegistry
{
    /// <summary>
    /// Called with the first payload seen on a connection (either direction). Returns null when no
    /// dissector recognises it; the engine then asks again for at most a few more segments.
    /// </summary>
    ITcpStreamDissector? CreateTcp(TcpStreamContext context, ReadOnlySpan<byte> firstPayload, bool fromClient);

    /// <summary>The dissector for a UDP datagram between these ports, or null.</summary>
    IUdpDissector? ForUdp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload);

    /// <summary>Every UDP dissector handed out, so the engine can advance time and end them.</summary>
    IEnumerable<IUdpDissector> UdpDissectors { get; }
}
