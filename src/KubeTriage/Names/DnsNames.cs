using System.Net;

namespace KubeTriage.Names;

/// <summary>What counts as a DNS name to probe, and the one spelling used in reports (no trailing dot, lower case).</summary>
public static class DnsNames
{
    public static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>
    /// True for a name with at least one dot whose labels are 1-63 letters, digits, '-' or '_' and that is
    /// not an address: <c>oss.example.com</c> yes, <c>mysql</c> (a label) and <c>10.0.0.1</c> no.
    /// </summary>
    public static bool LooksLikeDnsName(string text) =>
        text.Trim().TrimEnd('.').Contains('.', StringComparison.Ordinal) && IsValidName(text);

    /// <summary>
    /// True for a syntactically valid name to ask (RFC 1035 §2.3.1 labels, '_' allowed), single labels included
    /// (<c>mysql</c> goes through the search list); false for addresses and empty or overlong names.
    /// </summary>
    public static bool IsValidName(string text)
    {
        var name = text.Trim().TrimEnd('.');
        if (name.Length is 0 or > 253 || IPAddress.TryParse(name, out _))
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        // A name whose last label is all digits is an address typo, not a name.
        return !name.Split('.')[^1].All(char.IsAsciiDigit);
    }

    /// <summary>The DNS-looking dependency names of an expectations file, in file order, without duplicates.</summary>
    public static IReadOnlyList<string> FromExpectations(Expectations expectations) =>
        expectations.Dependencies
            .Select(d => d.Name)
            .Where(LooksLikeDnsName)
            .Select(Normalize)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
