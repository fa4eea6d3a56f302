namespace KubeTriage.Capture.Tests.Protocols.Support;

/// <summary>Hex text to bytes; spaces, newlines and <c>|</c> separators are ignored so rows can show structure.</summary>
public static class Hex
{
    public static byte[] Parse(string text)
    {
        var clean = new string(text.Where(Uri.IsHexDigit).ToArray());
        return Convert.FromHexString(clean);
    }

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
