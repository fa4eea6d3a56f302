using System.Globalization;
using System.Text.Json;

namespace KubeTriage.Node;

/// <summary>
/// Tolerant readers over <c>ip -j</c> JSON: a key may be missing, a string where a number was expected (tables
/// print as "2", some builds print 2), or null (<c>"not":null</c> is a flag). iproute2 has no JSON schema, so
/// every reader falls back rather than throws.
/// </summary>
internal static class IpJson
{
    /// <summary>Parses the top-level array, or says in one line why the text is not ip JSON.</summary>
    public static bool TryParseArray(string? text, out JsonDocument? document, out string? problem)
    {
        document = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "empty: no ip -j output";
            return false;
        }

        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            // The classic: `ip -j route show table 7` for a table that never existed prints a lone "[".
            problem = $"not ip -j JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FirstSentence(ex.Message)}";
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            problem = $"not ip -j JSON: expected an array, found {document.RootElement.ValueKind.ToString().ToLowerInvariant()}";
            document.Dispose();
            document = null;
            return false;
        }

        return true;
    }

    public static string? String(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    public static int? Int(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return (int)Math.Clamp(number, int.MinValue, int.MaxValue);
        }

        return value.ValueKind == JsonValueKind.String
            && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : null;
    }

    /// <summary>"0x80" or "128" (fwmark and fwmask print as hex text).</summary>
    public static uint? Hex(JsonElement element, string name)
    {
        var text = String(element, name);
        if (text is null)
        {
            return null;
        }

        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return uint.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex) ? hex : null;
        }

        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var dec) ? dec : null;
    }

    /// <summary>A key that is present, whatever its value (ip prints flags such as "not" as null).</summary>
    public static bool Has(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out _);

    public static IReadOnlyList<string> Strings(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)
            || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return value.EnumerateArray()
            .Where(v => v.ValueKind == JsonValueKind.String)
            .Select(v => v.GetString()!)
            .ToList();
    }

    /// <summary>
    /// The parser's complaint in one short line of printable ASCII: System.Text.Json quotes the offending token, which in a
    /// garbled file can be kilobytes of binary.
    /// </summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        var sentence = (cut < 0 ? message.TrimEnd('.') : message[..cut]).ReplaceLineEndings(" ");
        var printable = string.Concat(sentence.Select(c => c is < ' ' or > '~' ? '?' : c));
        return printable.Length > 120 ? printable[..120] + "…" : printable;
    }
}
