namespace KubeTriage.Capture.Protocols.Dns;

/// <summary>
/// RDATA of a type this dissector does not decode, kept raw and written in the RFC 3597 §5 generic
/// form (https://www.rfc-editor.org/rfc/rfc3597#section-5): <c>\# LENGTH HEX</c>.
/// </summary>
internal readonly ref struct UnknownRdata
{
    /// <summary>Hex beyond this many RDATA bytes is cut when written.</summary>
    public const int MaxHexBytes = 64;

    private UnknownRdata(ReadOnlySpan<byte> data) => Data = data;

    public ReadOnlySpan<byte> Data { get; }

    public static ParseResult TryRead(ReadOnlySpan<byte> message, int offset, int length, out UnknownRdata rdata)
    {
        rdata = default;
        if (offset + length > message.Length)
        {
            return ParseResult.NeedMore;
        }

        rdata = new UnknownRdata(message.Slice(offset, length));
        return ParseResult.Parsed(length);
    }

    public int WriteText(Span<byte> destination)
    {
        "\\# "u8.CopyTo(destination);
        var written = 3 + AddressText.WriteDecimal((ulong)Data.Length, destination[3..]);
        if (Data.IsEmpty)
        {
            return written;
        }

        destination[written++] = (byte)' ';
        var shown = Data[..Math.Min(Data.Length, MaxHexBytes)];
        foreach (var b in shown)
        {
            destination[written++] = (byte)"0123456789abcdef"[b >> 4];
            destination[written++] = (byte)"0123456789abcdef"[b & 0xF];
        }

        if (shown.Length < Data.Length)
        {
            "..."u8.CopyTo(destination[written..]);
            written += 3;
        }

        return written;
    }
}
