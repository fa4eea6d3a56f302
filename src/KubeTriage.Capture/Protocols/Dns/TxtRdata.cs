namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// TXT record RDATA, RFC 1035 §3.3.14 (https://www.rfc-editor.org/rfc/rfc1035#section-3.3.14):
/// one or more &lt;character-string&gt;s (a length byte, then that many bytes) filling RDATA exactly.
/// An empty RDATA is accepted as zero strings (odd but seen in the wild).
/// </summary>
internal readonly ref struct TxtRdata
{
    public const ushort TypeCode = DnsType.TXT;

    /// <summary>Text beyond this many bytes is cut when written.</summary>
    public const int MaxTextBytes = 1024;

    private TxtRdata(ReadOnlySpan<byte> strings, int count)
    {
        Strings = strings;
        Count = count;
    }

    /// <summary>The raw character-strings, length bytes included.</summary>
    public ReadOnlySpan<byte> Strings { get; }

    public int Count { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out TxtRdata rdata)
    {
        rdata = default;
        var reader = new PayloadReader(DnsRdata.Slice(message, offset, length), offset);
        var end = offset + length;
        var count = 0;
        while (reader.Offset < end)
        {
            if (!reader.CanRead(1))
            {
                return ParseResult.NeedMore;
            }

            var stringLength = reader.ReadByte();
            if (reader.Offset + stringLength > end)
            {
                return DnsRdata.Leftover(offset, "TXT character-string runs past RDLENGTH");
            }

            if (!reader.CanRead(stringLength))
            {
                return ParseResult.NeedMore;
            }

            reader.Skip(stringLength);
            count++;
        }

        rdata = new TxtRdata(message.Slice(offset, length), count);
        return ParseResult.Parsed(length);
    }

    /// <summary>Each string in double quotes, separated by spaces; quotes, backslashes and non-printables escaped.</summary>
    public int WriteText(Span<byte> destination)
    {
        var written = 0;
        var reader = new PayloadReader(Strings);
        while (reader.Remaining > 0 && written < MaxTextBytes)
        {
            var text = reader.ReadBytes(reader.ReadByte());
            if (written > 0)
            {
                destination[written++] = (byte)' ';
            }

            destination[written++] = (byte)'"';
            foreach (var b in text)
            {
                if (written >= MaxTextBytes)
                {
                    break;
                }

                written += DnsRdata.WriteEscaped(b, destination[written..], (byte)'"');
            }

            destination[written++] = (byte)'"';
        }

        return written;
    }
}
