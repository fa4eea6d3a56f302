using System.Globalization;

namespace KubeTriage.Wire;

/// <summary>HTTP/2 error codes (RFC 9113 §7) of RST_STREAM and GOAWAY as people read them: "REFUSED_STREAM".</summary>
public static class Http2ErrorText
{
    private static readonly string[] Names =
    [
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
        "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    ];

    public const uint Cancel = 0x8;

    /// <summary>"CANCEL"; an unknown code as 0x-hex.</summary>
    public static string Name(uint code) =>
        code < Names.Length ? Names[code] : "0x" + code.ToString("x", CultureInfo.InvariantCulture);
}
