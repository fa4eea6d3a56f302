using KubeTriage.Capture.Tests.Protocols.Support;

namespace KubeTriage.Capture.Tests.Protocols.Tls;

/// <summary>ClientHellos for tests: a real one (Chrome 34 to google.de) and ones built from parts.</summary>
public static class TlsBytes
{
    /// <summary>zeek tls/chrome-34-google.pcap frame 4: one record holding the whole ClientHello.</summary>
    public static byte[] ChromeRecord => TranscriptPayload.Of("zeek__tls-sni-google", 4);

    /// <summary>The handshake message inside <see cref="ChromeRecord"/>.</summary>
    public static byte[] ChromeHandshake => ChromeRecord[5..];

    /// <summary>Wraps handshake bytes in one or more handshake records of at most <paramref name="maxFragment"/> bytes.</summary>
    public static byte[] Records(byte[] handshake, int maxFragment = 16384, ushort version = 0x0301)
    {
        var records = new List<byte>();
        for (var at = 0; at < handshake.Length; at += maxFragment)
        {
            var fragment = handshake[at..Math.Min(handshake.Length, at + maxFragment)];
            records.AddRange([22, (byte)(version >> 8), (byte)version, (byte)(fragment.Length >> 8), (byte)fragment.Length]);
            records.AddRange(fragment);
        }

        return records.ToArray();
    }

    /// <summary>A ClientHello handshake message with the given extensions block (hex, without its length).</summary>
    public static byte[] Hello(string extensionsHex, string sessionIdHex = "", string suitesHex = "c02f", ushort version = 0x0303, bool withExtensions = true)
    {
        var body = new List<byte> { (byte)(version >> 8), (byte)version };
        body.AddRange(new byte[32]);
        var sessionId = Hex.Parse(sessionIdHex);
        body.Add((byte)sessionId.Length);
        body.AddRange(sessionId);
        var suites = Hex.Parse(suitesHex);
        body.AddRange([(byte)(suites.Length >> 8), (byte)suites.Length]);
        body.AddRange(suites);
        body.AddRange([1, 0]);
        if (withExtensions)
        {
            var extensions = Hex.Parse(extensionsHex);
            body.AddRange([(byte)(extensions.Length >> 8), (byte)extensions.Length]);
            body.AddRange(extensions);
        }

        return [1, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count, .. body];
    }

    /// <summary>A server_name extension naming one host.</summary>
    public static string Sni(string host)
    {
        var name = System.Text.Encoding.ASCII.GetBytes(host);
        var entry = 3 + name.Length;
        return $"0000{entry + 2:x4}{entry:x4}00{name.Length:x4}{Convert.ToHexString(name)}";
    }
}
