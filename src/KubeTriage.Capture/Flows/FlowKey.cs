using System.Runtime.CompilerServices;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Flows;

/// <summary>
/// A 5-tuple with its two ends put in a fixed order (A is the lower address/port), so both
/// directions of a flow find the same entry. Hashing mixes the words with one multiply each.
/// </summary>
internal readonly struct FlowKey : IEquatable<FlowKey>
{
    public readonly NetAddress A;
    public readonly NetAddress B;
    public readonly ushort PortA;
    public readonly ushort PortB;
    public readonly byte Protocol;

    private FlowKey(NetAddress a, ushort portA, NetAddress b, ushort portB, byte protocol)
    {
        A = a;
        B = b;
        PortA = portA;
        PortB = portB;
        Protocol = protocol;
    }

    /// <summary>Builds the key; <paramref name="sourceIsA"/> says which end sent this packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FlowKey Create(NetAddress source, ushort sourcePort, NetAddress destination, ushort destinationPort, byte protocol, out bool sourceIsA)
    {
        sourceIsA = Compare(source, sourcePort, destination, destinationPort) <= 0;
        return sourceIsA
            ? new FlowKey(source, sourcePort, destination, destinationPort, protocol)
            : new FlowKey(destination, destinationPort, source, sourcePort, protocol);
    }

    public WireEndpoint EndA => new(A, PortA);

    public WireEndpoint EndB => new(B, PortB);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(FlowKey other) =>
        A.Low == other.A.Low && B.Low == other.B.Low && A.High == other.A.High && B.High == other.B.High
        && PortA == other.PortA && PortB == other.PortB && Protocol == other.Protocol && A.IsV4 == other.A.IsV4;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override int GetHashCode()
    {
        const ulong Mix = 0x9E3779B97F4A7C15;
        ulong h = (A.Low * Mix) ^ B.Low;
        h = (h * Mix) ^ A.High ^ (B.High >> 1);
        h = (h * Mix) ^ ((ulong)PortA << 24) ^ ((ulong)PortB << 8) ^ Protocol;
        h *= Mix;
        return (int)(h >> 32) ^ (int)h;
    }

    /// <summary>Orders keys for deterministic output: addresses, then ports, then protocol.</summary>
    public int CompareTo(in FlowKey other)
    {
        int c = Compare(A, PortA, other.A, other.PortA);
        if (c != 0)
        {
            return c;
        }

        c = Compare(B, PortB, other.B, other.PortB);
        return c != 0 ? c : Protocol.CompareTo(other.Protocol);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Compare(NetAddress x, ushort xPort, NetAddress y, ushort yPort)
    {
        if (x.High != y.High)
        {
            return x.High < y.High ? -1 : 1;
        }

        if (x.Low != y.Low)
        {
            return x.Low < y.Low ? -1 : 1;
        }

        return xPort.CompareTo(yPort);
    }
}
