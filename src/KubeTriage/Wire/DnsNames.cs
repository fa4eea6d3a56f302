using KubeTriage.Capture.Protocols.Dns;

namespace KubeTriage.Wire;

/// <summary>
/// Names for DNS numbers, as dig and tshark print them: record types (RFC 1035 §3.2.2, RFC 3596, IANA
/// "Resource Record (RR) TYPEs") and response codes (RFC 1035 §4.1.1, RFC 2136, RFC 6895).
/// </summary>
public static class DnsNames
{
    public const ushort TypeA = DnsType.A;
    public const ushort TypeCname = DnsType.CNAME;
    public const ushort TypeAaaa = DnsType.AAAA;

    public const int RcodeNoError = DnsRcode.NoError;
    public const int RcodeServFail = DnsRcode.ServFail;
    public const int RcodeNxDomain = DnsRcode.NxDomain;
    public const int RcodeRefused = DnsRcode.Refused;

    /// <summary>The dissector's own table: one list of mnemonics for the wire and the report.</summary>
    public static string TypeName(ushort type) => DnsType.Name(type);

    public static string RcodeName(int rcode) => DnsRcode.Name(rcode);

    /// <summary>True for record types whose data is an address (A, AAAA).</summary>
    public static bool IsAddressType(ushort type) => type is TypeA or TypeAaaa;

    /// <summary>Lower case without the trailing dot: how names are compared and grouped.</summary>
    public static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
