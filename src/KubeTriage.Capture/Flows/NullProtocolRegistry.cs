namespace KubeTriage.Capture.Flows;

/// <summary>A registry that recognises no application protocol: connections and flows are still tracked.</summary>
public sealed class NullProtocolRegistry : IProtocolRegistry
{
    public static NullProtocolRegistry Instance { get; } = new();

    public ITcpStreamDissector? CreateTcp(TcpStreamContext context, ReadOnlySpan<byte> firstPayload, bool fromClient) => null;

    public IUdpDissector? ForUdp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload) => null;

    public IEnumerable<IUdpDissector> UdpDissectors => [];
}
