using System.Buffers.Binary;
using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// The GRE header (RFC 2784, keys and sequence numbers of RFC 2890), version 0 only.
/// <code>
/// | C . K S (bits 0, 2, 3) … version (3 bits) (2) | protocol type (2) | [checksum, reserved (4)] | [key (4)] | [sequence (4)] |
/// </code>
/// </summary>
internal static class GreHeader
{
    public const int MinLength = 4;

    /// <summary>Parsed bytes = the inner packet's offset; <paramref name="protocolType"/> is an EtherType.</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> payload, out ushort protocolType)
    {
        protocolType = 0;
        if (payload.Length < MinLength)
        {
            return ReadResult.NeedMore;
        }

        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if ((flags & 0x0007) != 0)
        {
            // Version 1 is PPTP's enhanced GRE: not a tunnel of the node's pod traffic.
            return ReadResult.Malformed(WireError.PacketUnsupportedEtherType, 0);
        }

        int length = MinLength + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0) + ((flags & 0x1000) != 0 ? 4 : 0);
        protocolType = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        return payload.Length < length ? ReadResult.NeedMore : ReadResult.Parsed(length);
    }
}
