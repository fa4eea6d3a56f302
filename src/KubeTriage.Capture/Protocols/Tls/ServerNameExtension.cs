using KubeTriage.Capture.Primitives;

namespace KubeTriage.Capture.Protocols.Tls;

/// <summary>
/// The server_name extension (type 0), RFC 6066 §3 (https://www.rfc-editor.org/rfc/rfc6066#section-3):
/// <code>
///   ServerName server_name_list&lt;1..2^16-1&gt;     ServerName = NameType name_type (1) | HostName&lt;1..2^16-1&gt;
/// </code>
/// The first entry of type host_name (0) is the server name; RFC 6066 allows only one.
/// </summary>
internal readonly ref struct ServerNameExtension
{
    public const ushort TypeCode = 0;
    private const byte HostNameType = 0;

    private ServerNameExtension(ReadOnlySpan<byte> hostName) => HostName = hostName;

    public ReadOnlySpan<byte> HostName { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> data, out ServerNameExtension extension)
    {
        extension = default;
        var reader = new PayloadReader(data);
        var listLength = reader.ReadUInt16BigEndian();
        if (reader.Overrun || listLength != reader.Remaining || listLength == 0)
        {
            return ParseResult.Malformed(WireError.TlsBadClientHello, 0, "server_name list length does not fill the extension");
        }

        while (reader.Remaining > 0)
        {
            var type = reader.ReadByte();
            var name = reader.ReadBytes(reader.ReadUInt16BigEndian());
            if (reader.Overrun)
            {
                return ParseResult.Malformed(WireError.TlsBadClientHello, reader.Offset, "server_name entry runs past its list");
            }

            if (type == HostNameType && extension.HostName.IsEmpty)
            {
                extension = new ServerNameExtension(name);
            }
        }

        return ParseResult.Parsed(data.Length);
    }
}
