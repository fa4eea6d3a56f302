using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>A TCP connection's two endpoints in a fixed order (lower endpoint first), whichever way a packet goes.</summary>
internal readonly record struct TcpFlowKey(NetAddress LowAddress, ushort LowPort, NetAddress HighAddress, ushort HighPort)
{
    public static TcpFlowKey Of(NetAddress source, ushort sourcePort, NetAddress destination, ushort destinationPort, out bool sourceIsLow)
    {
        var order = AddressOrder.Instance.Compare(source, destination);
        sourceIsLow = order < 0 || (order == 0 && sourcePort <= destinationPort);
        return sourceIsLow
            ? new TcpFlowKey(source, sourcePort, destination, destinationPort)
            : new TcpFlowKey(destination, destinationPort, source, sourcePort);
    }
}
