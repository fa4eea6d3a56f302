namespace KubeTriage.Capture.Files;

/// <summary>
/// Compressed captures, recognised by their magic numbers. gzip (what <c>tcpdump -w - | gzip</c> and most
/// support bundles produce) is read as it streams, the way Wireshark's tools do; for the other formats the
/// error names the command that decompresses them.
/// </summary>
public static class CaptureCompression
{
    /// <summary>Bytes needed to tell every recognised format apart.</summary>
    public const int MagicLength = 6;

    public const string Gzip = "gzip";

    /// <summary>The compression the first bytes belong to (<see cref="Gzip"/>, "zstd", …), or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head) => head switch
    {
        [0x1F, 0x8B, ..] => Gzip,
        [0x28, 0xB5, 0x2F, 0xFD, ..] => "zstd",
        [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => "xz",
        [(byte)'B', (byte)'Z', (byte)'h', ..] => "bzip2",
        [0x04, 0x22, 0x4D, 0x18, ..] => "lz4",
        [(byte)'P', (byte)'K', 0x03, 0x04, ..] => "zip",
        _ => null,
    };

    /// <summary>The one-line reason a compressed file cannot be read as it is, with the command that helps.</summary>
    public static string Unsupported(string compression, string path) => compression switch
    {
        "zip" => $"a zip archive, not a capture: unpack it first (unzip {path}) and pass the pcap files inside",
        _ => $"{compression}-compressed: decompress it first ({Command(compression)} {path}) or pipe it in ({Command(compression)} -c {path} | kubetriage capture -)",
    };

    private static string Command(string compression) => compression switch
    {
        "zstd" => "zstd -d",
        "xz" => "xz -d",
        "bzip2" => "bzip2 -d",
        "lz4" => "lz4 -d",
        _ => compression + " -d",
    };
}
