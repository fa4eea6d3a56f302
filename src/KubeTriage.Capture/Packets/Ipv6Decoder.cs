using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// IPv6 header and extension-header chain (RFC 8200 sections 3 and 4). The walk is bounded by
/// <see cref="MaxExtensionHeaders"/> and by the bytes present; a fragment header with a non-zero
/// offset ends it (only the first fragment carries the transport header).
/// <code>
/// |Version| Traffic Class |           Flow Label                  |
/// |         Payload Length        |  Next Header  |   Hop Limit   |
/// |                  Source Address (16)                          |
/// |               Destination Address (16)                        |
/// </code>
/// </summary>
internal static class Ipv6Decoder
{
    public const int HeaderLength = 40;
    public const int MaxExtensionHeaders = 8;

    private const byte HopByHop = 0;
    private const byte Routing = 43;
    private const byte Fragment = 44;
    private const byte Authentication = 51;
    private const byte DestinationOptions = 60;

    /// <summary>Parsed bytes = offset of the transport header; <paramref name="wireLength"/> = whole packet length.</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> ip, ref DecodedPacket packet, out int wireLength)
    {
        wireLength = 0;
        var reader = new SpanReader(ip);
        if (!reader.TryReadUInt8(out byte version)
            || !reader.TrySkip(3)
            || !reader.TryReadUInt16BigEndian(out ushort payloadLength)
            || !reader.TryReadUInt8(out byte next)
            || !reader.TrySkip(1)
            || !reader.TryReadBytes(16, out var source)
            || !reader.TryReadBytes(16, out var destination))
        {
            return ReadResult.NeedMore;
        }

        if (version >> 4 != 6)
        {
            return ReadResult.Malformed(WireError.PacketBadIpVersion, 0);
        }

        // A jumbogram (payload length 0) is as long as what was captured.
        wireLength = payloadLength == 0 ? ip.Length : HeaderLength + payloadLength;
        packet.Source = NetAddress.FromIPv6(source);
        packet.Destination = NetAddress.FromIPv6(destination);
        packet.IsFirstFragment = true;

        for (int count = 0; ; count++)
        {
            if (next is not (HopByHop or Routing or Fragment or Authentication or DestinationOptions))
            {
                packet.Protocol = next;
                return ReadResult.Parsed(reader.Position);
            }

            if (count == MaxExtensionHeaders)
            {
                return ReadResult.Malformed(WireError.PacketTooManyHeaders, reader.Position);
            }

            int start = reader.Position;
            if (!reader.TryReadUInt8(out byte following) || !reader.TryReadUInt8(out byte length))
            {
                return ReadResult.NeedMore;
            }

            if (next == Fragment)
            {
                if (!reader.TryReadUInt16BigEndian(out ushort offsetFlags) || !reader.TryReadUInt32BigEndian(out uint identification))
                {
                    return ReadResult.NeedMore;
                }

                packet.IsFragment = true;
                packet.FragmentId = identification;
                packet.FragmentOffset = (offsetFlags >> 3) * 8;
                packet.MoreFragments = (offsetFlags & 1) != 0;
                packet.FragmentProtocol = following;
                packet.FragmentDataOffset = reader.Position;
                if (offsetFlags >> 3 != 0)
                {
                    packet.IsFirstFragment = false;
                    packet.Protocol = following;
                    return ReadResult.Parsed(reader.Position);
                }
            }
            else
            {
                int size = next == Authentication ? (length + 2) * 4 : (length + 1) * 8;
                if (!reader.TrySkip(size - (reader.Position - start)))
                {
                    return ReadResult.NeedMore;
                }
            }

            next = following;
        }
    }
}
