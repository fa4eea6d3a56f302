namespace KubeTriage.Capture.Packets;

/// <summary>What <see cref="PacketDecoder"/> made of a frame.</summary>
internal enum PacketStatus : byte
{
    Decoded,
    NotIp,
    Malformed,
}
