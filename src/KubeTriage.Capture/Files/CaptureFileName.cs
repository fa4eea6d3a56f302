using System.Text.RegularExpressions;

namespace KubeTriage.Capture.Files;

/// <summary>
/// What a capture file's name says: <c>eth0.pcap</c>, <c>any.pcapng</c>, <c>trace.cap</c>, a tcpdump ring
/// buffer's <c>eth0.pcap3</c>, a dumpcap ring buffer's <c>eth0_00001_20261128184448.pcapng</c>, each maybe
/// gzip-compressed (<c>.gz</c>). The part before is the interface or name the file was taken for.
/// </summary>
public static partial class CaptureFileName
{
    /// <summary>True when <paramref name="fileName"/> (no folder) is named like a capture; <paramref name="baseName"/> is then e.g. <c>eth0</c>.</summary>
    public static bool TryParse(string fileName, out string baseName)
    {
        var match = Pattern().Match(fileName);
        baseName = match.Success ? match.Groups["base"].Value : string.Empty;
        return match.Success;
    }

    [GeneratedRegex(@"^(?<base>.+?)(?:_\d{5}_\d{14})?\.(?:pcapng|pcap|cap)\d*(?:\.gz)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
