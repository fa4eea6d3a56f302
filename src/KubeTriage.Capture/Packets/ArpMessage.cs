using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Packets;

/// <summary>
/// An ARP message for IPv4 over Ethernet, RFC 826 (https://www.rfc-editor.org/rfc/rfc826):
/// <code>
///   hardware type 1 (2) | protocol type 0x0800 (2) | hardware length 6 (1) | protocol length 4 (1) | operation (2)
///   | sender hardware address (6) | sender protocol address (4) | target hardware address (6) | target protocol address (4)
/// </code>
/// Operation 1 asks who has the target address (a request), 2 answers with the sender's (a reply). Other hardware or
/// protocol types are not read.
/// </summary>
internal readonly ref struct ArpMessage
{
    public const ushort Request = 1;
    public const ushort Reply = 2;
    public const int Size = 28;

    private static readonly NetAddress Unspecified = NetAddress.FromIPv4([0, 0, 0, 0]);

    private ArpMessage(ushort operation, NetAddress sender, NetAddress target)
    {
        Operation = operation;
        Sender = sender;
        Target = target;
    }

    public ushort Operation { get; }

    /// <summary>The sender's IPv4 address (0.0.0.0 in an address probe).</summary>
    public NetAddress Sender { get; }

    /// <summary>The address asked for (a request) or answered to (a reply).</summary>
    public NetAddress Target { get; }

    /// <summary>A request whose sender announces its own address (gratuitous ARP) or probes for a conflict (sender 0.0.0.0): nobody is asked.</summary>
    public bool IsAnnouncement => Operation == Request && (Sender == Target || Sender == Unspecified);

    public static ReadResult TryRead(ReadOnlySpan<byte> data, out ArpMessage message)
    {
        message = default;
        if (data.Length < Size)
        {
            return ReadResult.NeedMore;
        }

        if (data[0] != 0 || data[1] != 1 || data[2] != 0x08 || data[3] != 0 || data[4] != 6 || data[5] != 4)
        {
            return ReadResult.Malformed(WireError.PacketUnsupportedLinkType, 0);
        }

        ushort operation = (ushort)(data[6] << 8 | data[7]);
        if (operation is not (Request or Reply))
        {
            return ReadResult.Malformed(WireError.PacketUnsupportedLinkType, 6);
        }

        message = new ArpMessage(operation, NetAddress.FromIPv4(data.Slice(14, 4)), NetAddress.FromIPv4(data.Slice(24, 4)));
        return ReadResult.Parsed(Size);
    }
}
