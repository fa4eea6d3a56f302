using KubeTriage.Capture.Primitives;

namespace KubeTriage.Wire.Building;

/// <summary>A TCP connection's two endpoints in a fixed order (lower endpoint first), whichever way a packet goes.</summary>
internal readonly record struct TcpFlowKey(NetAddress LowAddress, ushort LowPort, NetAddress HighAddress, ushort HighPort)
{
    public static TcpFlowKey Of(NetAddress source, ushort sourcePort, NetAddress destination, ushort destinationPort, out bool sourceIsLow)
    {
        // Any fixed order will do; comparing the low words first is enough almost always and cheap.
        sourceIsLow = source.Low != destination.Low ? source.Low < destination.Low
            : source.High != destination.High ? source.High < destination.High
            : sourcePort <= destinationPort;
        return sourceIsLow
            ? new TcpFlowKey(source, sourcePort, destination, destinationPort)
            : new TcpFlowKey(destination, destinationPort, source, sourcePort);
    }
}
