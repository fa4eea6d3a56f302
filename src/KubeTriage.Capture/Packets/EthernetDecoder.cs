using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// Ethernet II with any number (up to <see cref="MaxTags"/>) of 802.1Q / 802.1ad tags (IEEE 802.3, 802.1Q).
/// <code>
/// | dst MAC (6) | src MAC (6) | [TPID 8100/88a8/9100 (2) | TCI (2)]* | EtherType (2) | payload |
/// </code>
/// </summary>
internal static class EthernetDecoder
{
    public const int HeaderLength = 14;
    public const int MaxTags = 8;

    /// <summary>Reads the header and tags; parsed bytes = offset of the network layer.</summary>
    public static ReadResult TryRead(ReadOnlySpan<byte> frame, out ushort etherType)
    {
        etherType = 0;
        var reader = new SpanReader(frame);
        if (!reader.TrySkip(12) || !reader.TryReadUInt16BigEndian(out ushort type))
        {
            return ReadResult.NeedMore;
        }

        int tags = 0;
        while (type is EtherType.Vlan or EtherType.ProviderVlan or EtherType.LegacyQinQ)
        {
            if (++tags > MaxTags)
            {
                return ReadResult.Malformed(WireError.PacketTooManyHeaders, reader.Position - 2);
            }

            if (!reader.TrySkip(2) || !reader.TryReadUInt16BigEndian(out type))
            {
                return ReadResult.NeedMore;
            }
        }

        etherType = type;
        return ReadResult.Parsed(reader.Position);
    }
}
